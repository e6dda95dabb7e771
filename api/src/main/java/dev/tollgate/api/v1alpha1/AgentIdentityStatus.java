package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentIdentityStatus {

  @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @SchemaFrom(type = ConditionSchema[].class)
  @JsonPropertyDescription(
      "Current state: Accepted (the spec and its references are valid) and Ready (a bundle for the current spec is published).")
  private List<Condition> conditions;

  @JsonPropertyDescription("The policy bundle published for this identity.")
  private BundleRef bundle;

  @JsonPropertyDescription("The ToolPolicies compiled into the bundle, as namespace/name.")
  private List<String> policies;

  @JsonPropertyDescription(
      "How many ToolCallApprovals of this identity are waiting for a decision.")
  private Integer pendingApprovals;

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

  public BundleRef getBundle() {
    return bundle;
  }

  public void setBundle(BundleRef bundle) {
    this.bundle = bundle;
  }

  public List<String> getPolicies() {
    return policies;
  }

  public void setPolicies(List<String> policies) {
    this.policies = policies;
  }

  public Integer getPendingApprovals() {
    return pendingApprovals;
  }

  public void setPendingApprovals(Integer pendingApprovals) {
    this.pendingApprovals = pendingApprovals;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AgentIdentityStatus)) {
      return false;
    }
    AgentIdentityStatus that = (AgentIdentityStatus) o;
    return Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(conditions, that.conditions)
        && Objects.equals(bundle, that.bundle)
        && Objects.equals(policies, that.policies)
        && Objects.equals(pendingApprovals, that.pendingApprovals);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, bundle, policies, pendingApprovals);
  }
}
