package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

// Transition rules (oldSelf) run on updates only. Whatever the request part says stays as the
// sidecar created it, and a decision, once made, cannot be changed or taken back: the webhook's
// approver check happens once, at the moment of the decision.
@ValidationRule(
    value = "!has(oldSelf.decision) || (has(self.decision) && self.decision == oldSelf.decision)",
    message = "decision is immutable once set")
@ValidationRule(
    value =
        "!has(oldSelf.decidedBy) || (has(self.decidedBy) && self.decidedBy == oldSelf.decidedBy)",
    message = "decidedBy is immutable once set")
@ValidationRule(
    value =
        "!has(oldSelf.decision) || (has(self.reason) == has(oldSelf.reason) && (!has(self.reason) || self.reason == oldSelf.reason))",
    message = "reason is immutable once a decision is set")
@ValidationRule(
    value = "!has(self.decidedBy) || has(self.decision)",
    message = "decidedBy requires decision")
@ValidationRule(
    value =
        "has(self.approvers) == has(oldSelf.approvers) && (!has(self.approvers) || self.approvers == oldSelf.approvers)",
    message = "approvers is immutable")
@ValidationRule(
    value =
        "has(self.requestedBy) == has(oldSelf.requestedBy) && (!has(self.requestedBy) || self.requestedBy == oldSelf.requestedBy)",
    message = "requestedBy is immutable")
@ValidationRule(
    value =
        "has(self.summary) == has(oldSelf.summary) && (!has(self.summary) || self.summary == oldSelf.summary)",
    message = "summary is immutable")
@ValidationRule(
    value =
        "has(self.correlationId) == has(oldSelf.correlationId) && (!has(self.correlationId) || self.correlationId == oldSelf.correlationId)",
    message = "correlationId is immutable")
@JsonClassDescription(ToolCallApprovalSpec.DESCRIPTION)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ToolCallApprovalSpec {

  public static final int MAX_APPROVERS = 64;

  public static final String DESCRIPTION =
      "One tool call held for a human decision, created by the sidecar. An approval covers exactly this tool, arguments digest and pod, once, until it expires. Everything but decision, decidedBy and reason is immutable; those three are frozen once decision is set.";

  @Required
  @ValidationRule(value = "self == oldSelf", message = "identity is immutable")
  @JsonPropertyDescription("Name of the AgentIdentity (in this namespace) whose call is held.")
  private String identity;

  @Required
  @ValidationRule(value = "self == oldSelf", message = "pod is immutable")
  @JsonPropertyDescription(
      "Name of the pod that made the call; the approval is valid for this pod only.")
  private String pod;

  @Required
  @ValidationRule(value = "self == oldSelf", message = "tool is immutable")
  @JsonPropertyDescription(
      "Agent-side tool name of the call, such as Bash or mcp__github__create_issue.")
  private String tool;

  @Required
  @Pattern(FieldPatterns.SHA256_HEX)
  @ValidationRule(value = "self == oldSelf", message = "argsDigest is immutable")
  @JsonPropertyDescription(
      "Lower-case hex SHA-256 of the canonical JSON of the call's arguments; the approval allows only a call with exactly these arguments.")
  private String argsDigest;

  @JsonPropertyDescription(
      "Human-readable summary of the call for the approver, with secrets redacted.")
  private String summary;

  @JsonPropertyDescription(
      "The principal on whose behalf the agent made the call, as given by the caller (empty when none).")
  private String requestedBy;

  // maxItems and maxLength bound the estimated cost of the immutability rule on the spec.
  @Size(max = MAX_APPROVERS)
  @JsonPropertyDescription(
      "Who may decide, as user:NAME or group:NAME: the deciding rule's approvers, else the identity's default approvers. The webhook refuses a decision from anyone else and from the agent's own service account.")
  private List<@Pattern(FieldPatterns.PRINCIPAL) @Size(max = 512) String> approvers;

  @Required
  @JsonSerialize(using = DateTimeStringSerializer.class)
  @ValidationRule(value = "self == oldSelf", message = "expiresAt is immutable")
  @JsonPropertyDescription(
      "When the approval expires (RFC 3339). After it, a decision no longer allows the call and the held call is denied.")
  private String expiresAt;

  @JsonPropertyDescription(
      "The human's decision, Approved or Rejected. Unset while pending; cannot be changed once set.")
  private ApprovalDecision decision;

  @JsonPropertyDescription(
      "Who decided. Stamped by Tollgate's webhook from the authenticated user of the request that set decision; a value sent by the client is replaced.")
  private String decidedBy;

  @JsonPropertyDescription("Why the human decided as they did; recorded in the audit trail.")
  private String reason;

  @JsonPropertyDescription(
      "Identifier of the request that asked for approval (the Claude Code tool_use_id or the MCP request id), to correlate with the audit trail.")
  private String correlationId;

  public String getIdentity() {
    return identity;
  }

  public void setIdentity(String identity) {
    this.identity = identity;
  }

  public String getPod() {
    return pod;
  }

  public void setPod(String pod) {
    this.pod = pod;
  }

  public String getTool() {
    return tool;
  }

  public void setTool(String tool) {
    this.tool = tool;
  }

  public String getArgsDigest() {
    return argsDigest;
  }

  public void setArgsDigest(String argsDigest) {
    this.argsDigest = argsDigest;
  }

  public String getSummary() {
    return summary;
  }

  public void setSummary(String summary) {
    this.summary = summary;
  }

  public String getRequestedBy() {
    return requestedBy;
  }

  public void setRequestedBy(String requestedBy) {
    this.requestedBy = requestedBy;
  }

  public List<String> getApprovers() {
    return approvers;
  }

  public void setApprovers(List<String> approvers) {
    this.approvers = approvers;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  public ApprovalDecision getDecision() {
    return decision;
  }

  public void setDecision(ApprovalDecision decision) {
    this.decision = decision;
  }

  public String getDecidedBy() {
    return decidedBy;
  }

  public void setDecidedBy(String decidedBy) {
    this.decidedBy = decidedBy;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getCorrelationId() {
    return correlationId;
  }

  public void setCorrelationId(String correlationId) {
    this.correlationId = correlationId;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ToolCallApprovalSpec)) {
      return false;
    }
    ToolCallApprovalSpec that = (ToolCallApprovalSpec) o;
    return Objects.equals(identity, that.identity)
        && Objects.equals(pod, that.pod)
        && Objects.equals(tool, that.tool)
        && Objects.equals(argsDigest, that.argsDigest)
        && Objects.equals(summary, that.summary)
        && Objects.equals(requestedBy, that.requestedBy)
        && Objects.equals(approvers, that.approvers)
        && Objects.equals(expiresAt, that.expiresAt)
        && decision == that.decision
        && Objects.equals(decidedBy, that.decidedBy)
        && Objects.equals(reason, that.reason)
        && Objects.equals(correlationId, that.correlationId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        identity,
        pod,
        tool,
        argsDigest,
        summary,
        requestedBy,
        approvers,
        expiresAt,
        decision,
        decidedBy,
        reason,
        correlationId);
  }
}
