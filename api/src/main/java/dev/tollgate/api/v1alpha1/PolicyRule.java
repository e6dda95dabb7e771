package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

@ValidationRule(
    value = "!has(self.approvers) || self.effect == 'RequireApproval'",
    message = "approvers apply only to rules with effect RequireApproval")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyRule {

  @Required
  @Pattern(FieldPatterns.RULE_NAME)
  @Size(max = 63)
  @JsonPropertyDescription(
      "Rule name, unique within the policy: lower-case letters, digits and dashes (a DNS label). Decisions name the rules that decided them as namespace/policy/rule.")
  private String name;

  @Required
  @Size(min = 1)
  @JsonPropertyDescription(
      "Tool name patterns the rule applies to, such as Bash, Edit or mcp__github__*. * matches any run of characters, everything else is literal, and a pattern matches the whole tool name.")
  private List<@Pattern(FieldPatterns.TOOL_PATTERN) String> tools;

  @JsonPropertyDescription(
      "Optional CEL condition; the rule applies only when it evaluates to true. Variables: tool, args, identity, delegation, resource, context. An evaluation error counts as a match for Deny and RequireApproval rules and as no match for Allow rules (fail closed).")
  private String when;

  @Required
  @JsonPropertyDescription(
      "What a match contributes: Deny wins over RequireApproval, which wins over Allow. A call that no rule allows is denied.")
  private RuleEffect effect;

  @JsonPropertyDescription(
      "Explanation returned to the agent (and recorded in the audit trail) when this rule decides a call.")
  private String message;

  @JsonPropertyDescription(
      "Who may approve calls this rule holds for approval, as user:NAME or group:NAME; only for effect RequireApproval. Without it the identity's spec.approval.defaultApprovers apply.")
  private List<@Pattern(FieldPatterns.PRINCIPAL) String> approvers;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public List<String> getTools() {
    return tools;
  }

  public void setTools(List<String> tools) {
    this.tools = tools;
  }

  public String getWhen() {
    return when;
  }

  public void setWhen(String when) {
    this.when = when;
  }

  public RuleEffect getEffect() {
    return effect;
  }

  public void setEffect(RuleEffect effect) {
    this.effect = effect;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public List<String> getApprovers() {
    return approvers;
  }

  public void setApprovers(List<String> approvers) {
    this.approvers = approvers;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PolicyRule)) {
      return false;
    }
    PolicyRule that = (PolicyRule) o;
    return Objects.equals(name, that.name)
        && Objects.equals(tools, that.tools)
        && Objects.equals(when, that.when)
        && effect == that.effect
        && Objects.equals(message, that.message)
        && Objects.equals(approvers, that.approvers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, tools, when, effect, message, approvers);
  }
}
