package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

@JsonClassDescription(ToolPolicySpec.DESCRIPTION)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ToolPolicySpec {

  public static final int MAX_RULES = 256;

  public static final String DESCRIPTION =
      "Rules that decide the tool calls of the selected agent identities. Every rule whose tools match and whose condition holds applies: any Deny denies, else any RequireApproval holds the call for a human, else any Allow allows; a call no rule allows is denied.";

  @Required
  @JsonPropertyDescription(
      "The AgentIdentities in this namespace the policy applies to, by names and/or label selector; at least one of the two must be set.")
  private AgentSelector agents;

  @Required
  // maxItems bounds the estimated cost of the uniqueness rule, which the API server checks.
  @Size(min = 1, max = MAX_RULES)
  @ValidationRule(
      value = "self.all(r, self.exists_one(o, o.name == r.name))",
      message = "rule names must be unique within a policy")
  @JsonPropertyDescription(
      "The rules, at least one and at most 256, with unique names. Their order does not matter.")
  private List<PolicyRule> rules;

  public AgentSelector getAgents() {
    return agents;
  }

  public void setAgents(AgentSelector agents) {
    this.agents = agents;
  }

  public List<PolicyRule> getRules() {
    return rules;
  }

  public void setRules(List<PolicyRule> rules) {
    this.rules = rules;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ToolPolicySpec)) {
      return false;
    }
    ToolPolicySpec that = (ToolPolicySpec) o;
    return Objects.equals(agents, that.agents) && Objects.equals(rules, that.rules);
  }

  @Override
  public int hashCode() {
    return Objects.hash(agents, rules);
  }
}
