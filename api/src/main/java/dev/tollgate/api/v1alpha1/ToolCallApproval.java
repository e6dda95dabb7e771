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
@Plural("toolcallapprovals")
@ShortNames("tca")
@Categories(TollgateApi.CATEGORY)
@AdditionalPrinterColumn(
    name = "Tool",
    jsonPath = ".spec.tool",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Tool of the held call")
@AdditionalPrinterColumn(
    name = "Decision",
    jsonPath = ".spec.decision",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Approved or Rejected, empty while pending")
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Pending, Approved, Rejected or Expired")
// A string, not a date: kubectl renders a future date column as <invalid>.
@AdditionalPrinterColumn(
    name = "Expires",
    jsonPath = ".spec.expiresAt",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "When the approval expires")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ToolCallApproval extends CustomResource<ToolCallApprovalSpec, ToolCallApprovalStatus>
    implements Namespaced {

  // Overridden only to describe the spec and status properties in the generated schema.
  @Override
  @JsonPropertyDescription(ToolCallApprovalSpec.DESCRIPTION)
  public ToolCallApprovalSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state of the approval, written by the operator.")
  public ToolCallApprovalStatus getStatus() {
    return super.getStatus();
  }
}
