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
@Plural("toolpolicies")
@ShortNames("toolpolicy")
@Categories(TollgateApi.CATEGORY)
@AdditionalPrinterColumn(
    name = "Accepted",
    jsonPath = ".status.conditions[?(@.type==\"Accepted\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Whether every rule is valid")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ToolPolicy extends CustomResource<ToolPolicySpec, ToolPolicyStatus>
    implements Namespaced {

  // Overridden only to describe the spec and status properties in the generated schema.
  @Override
  @JsonPropertyDescription(ToolPolicySpec.DESCRIPTION)
  public ToolPolicySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state of the policy, written by the operator.")
  public ToolPolicyStatus getStatus() {
    return super.getStatus();
  }
}
