package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ToolPolicyStatus {

  @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @SchemaFrom(type = ConditionSchema[].class)
  @JsonPropertyDescription(
      "Current state: Accepted tells whether every rule is valid (patterns, CEL conditions, principals).")
  private List<Condition> conditions;

  @JsonPropertyDescription(
      "Names of the AgentIdentities in this namespace that the policy applies to.")
  private List<String> identities;

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

  public List<String> getIdentities() {
    return identities;
  }

  public void setIdentities(List<String> identities) {
    this.identities = identities;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ToolPolicyStatus)) {
      return false;
    }
    ToolPolicyStatus that = (ToolPolicyStatus) o;
    return Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(conditions, that.conditions)
        && Objects.equals(identities, that.identities);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, identities);
  }
}
