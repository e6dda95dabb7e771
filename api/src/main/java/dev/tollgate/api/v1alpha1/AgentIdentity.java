package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

@Group(TollgateApi.GROUP)
@Version(TollgateApi.VERSION)
@Plural("agentidentities")
@ShortNames("agentid")
@Categories(TollgateApi.CATEGORY)
@AdditionalPrinterColumn(
    name = "Mode",
    jsonPath = ".spec.mode",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Enforce or Audit")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Whether a bundle for the current spec is published")
@AdditionalPrinterColumn(
    name = "Revision",
    jsonPath = ".status.bundle.revision",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    getDescription = "Revision of the published bundle")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class AgentIdentity extends CustomResource<AgentIdentitySpec, AgentIdentityStatus>
    implements Namespaced {

  // Overridden only to describe the spec and status properties in the generated schema.
  @Override
  @JsonPropertyDescription(AgentIdentitySpec.DESCRIPTION)
  public AgentIdentitySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state of the identity, written by the operator.")
  public AgentIdentityStatus getStatus() {
    return super.getStatus();
  }
}
