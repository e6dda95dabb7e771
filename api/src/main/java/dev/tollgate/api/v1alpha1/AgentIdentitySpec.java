package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import java.util.Map;
import java.util.Objects;

@JsonClassDescription(AgentIdentitySpec.DESCRIPTION)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentIdentitySpec {

  public static final String DESCRIPTION =
      "Who an AI agent is: the pods that run as this identity, the ToolScopes that bound what it may see and call, on whose behalf it may act, and how its decisions are enforced and approved.";

  @SchemaFrom(type = LabelSelectorSchema.class)
  @JsonPropertyDescription(
      "The pods that run as this identity, by label, in the identity's namespace. The webhook injects the Tollgate sidecar into them.")
  private LabelSelector selector;

  @Required
  @JsonPropertyDescription(
      "The service account a matching pod must run under; a matching pod under any other account is not injected and not admitted.")
  private String serviceAccountName;

  @JsonPropertyDescription(
      "ABAC attributes of the agent (for example team or environment), visible to policy conditions as identity.attributes.")
  private Map<String, String> attributes;

  @JsonPropertyDescription(
      "The ToolScopes (in this namespace) that bound what the agent may even see. A tool that no listed scope names is denied with reason OutOfScope before any policy runs.")
  private List<ToolScopeRef> toolScopes;

  @JsonPropertyDescription("On whose behalf the agent may act.")
  private Delegation delegation;

  @Default("Enforce")
  @JsonPropertyDescription(
      "Enforce blocks denied calls. Audit decides and records but never blocks: the call is allowed and the audit record carries what Enforce would have decided in its own field.")
  private AgentMode mode;

  @JsonPropertyDescription("How calls that require a human approval are handled.")
  private ApprovalSettings approval;

  @Default("ClaudeCode")
  @JsonPropertyDescription(
      "Which agent-side wiring the webhook injects: ClaudeCode (hooks in Claude Code's managed settings), Codex (the PreToolUse hook in the Codex CLI's system config and requirements), GeminiCli (the BeforeTool hook in the Gemini CLI's system settings) or Generic (only the sidecar; the agent calls the decision API or the MCP gateway itself). Every runtime's tool calls are mapped onto the same tool names, so one ToolPolicy governs them all; context.runtime names the client.")
  private AgentRuntime runtime;

  @JsonPropertyDescription(
      "How the agent's own network traffic is held to the decision point's egress proxy; see mode.")
  private EgressSettings egress;

  @JsonPropertyDescription(
      "Where this identity's sidecars send a copy of their audit records, in place of the cluster-wide export (chart values sidecar.auditExport). Unset: the cluster-wide export, if any.")
  private AuditExport auditExport;

  public LabelSelector getSelector() {
    return selector;
  }

  public void setSelector(LabelSelector selector) {
    this.selector = selector;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  public Map<String, String> getAttributes() {
    return attributes;
  }

  public void setAttributes(Map<String, String> attributes) {
    this.attributes = attributes;
  }

  public List<ToolScopeRef> getToolScopes() {
    return toolScopes;
  }

  public void setToolScopes(List<ToolScopeRef> toolScopes) {
    this.toolScopes = toolScopes;
  }

  public Delegation getDelegation() {
    return delegation;
  }

  public void setDelegation(Delegation delegation) {
    this.delegation = delegation;
  }

  public AgentMode getMode() {
    return mode;
  }

  public void setMode(AgentMode mode) {
    this.mode = mode;
  }

  /**
   * {@link #getMode()} with the schema default applied, for objects no API server has defaulted.
   */
  public AgentMode modeOrDefault() {
    return mode != null ? mode : AgentMode.DEFAULT;
  }

  public ApprovalSettings getApproval() {
    return approval;
  }

  public void setApproval(ApprovalSettings approval) {
    this.approval = approval;
  }

  public AgentRuntime getRuntime() {
    return runtime;
  }

  public void setRuntime(AgentRuntime runtime) {
    this.runtime = runtime;
  }

  /** {@link #getRuntime()} with the schema default applied. */
  public AgentRuntime runtimeOrDefault() {
    return runtime != null ? runtime : AgentRuntime.DEFAULT;
  }

  public AuditExport getAuditExport() {
    return auditExport;
  }

  public void setAuditExport(AuditExport auditExport) {
    this.auditExport = auditExport;
  }

  public EgressSettings getEgress() {
    return egress;
  }

  public void setEgress(EgressSettings egress) {
    this.egress = egress;
  }

  /** The egress mode with the schema default ({@code Off}) applied. */
  public EgressMode egressModeOrDefault() {
    return egress != null ? egress.modeOrDefault() : EgressMode.DEFAULT;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AgentIdentitySpec)) {
      return false;
    }
    AgentIdentitySpec that = (AgentIdentitySpec) o;
    return Objects.equals(selector, that.selector)
        && Objects.equals(serviceAccountName, that.serviceAccountName)
        && Objects.equals(attributes, that.attributes)
        && Objects.equals(toolScopes, that.toolScopes)
        && Objects.equals(delegation, that.delegation)
        && mode == that.mode
        && Objects.equals(approval, that.approval)
        && runtime == that.runtime
        && Objects.equals(egress, that.egress)
        && Objects.equals(auditExport, that.auditExport);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        selector,
        serviceAccountName,
        attributes,
        toolScopes,
        delegation,
        mode,
        approval,
        runtime,
        egress,
        auditExport);
  }
}
