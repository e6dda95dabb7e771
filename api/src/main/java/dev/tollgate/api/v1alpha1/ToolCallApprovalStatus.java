package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ToolCallApprovalStatus {

  @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @SchemaFrom(type = ConditionSchema[].class)
  @JsonPropertyDescription(
      "Current state; Expired is True once spec.expiresAt has passed without a decision.")
  private List<Condition> conditions;

  @JsonPropertyDescription("Pending until decided or expired; then Approved, Rejected or Expired.")
  private ApprovalPhase phase;

  @JsonSerialize(using = DateTimeStringSerializer.class)
  @JsonPropertyDescription("When the decision was observed (RFC 3339).")
  private String decidedAt;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public ApprovalPhase getPhase() {
    return phase;
  }

  public void setPhase(ApprovalPhase phase) {
    this.phase = phase;
  }

  public String getDecidedAt() {
    return decidedAt;
  }

  public void setDecidedAt(String decidedAt) {
    this.decidedAt = decidedAt;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ToolCallApprovalStatus)) {
      return false;
    }
    ToolCallApprovalStatus that = (ToolCallApprovalStatus) o;
    return Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(conditions, that.conditions)
        && phase == that.phase
        && Objects.equals(decidedAt, that.decidedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, phase, decidedAt);
  }
}
