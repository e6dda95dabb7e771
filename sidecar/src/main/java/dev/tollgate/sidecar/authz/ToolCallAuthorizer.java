package dev.tollgate.sidecar.authz;

import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.DecisionRequest;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.decision.Reason;
import dev.tollgate.engine.decision.RequestContext;
import dev.tollgate.sidecar.audit.AuditEventType;
import dev.tollgate.sidecar.metrics.SidecarMetrics;
import dev.tollgate.sidecar.policy.PolicyState;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Decides and audits tool calls, whichever door they come through (Claude Code hooks, AuthZEN,
 * the MCP gateway), so the same call gets the same decision and the same audit trail everywhere.
 * Knows nothing of HTTP.
 */
public final class ToolCallAuthorizer {

  private final PolicyState state;
  private final AuditRecorder audit;
  private final SidecarMetrics metrics;
  private final Clock clock;
  private final PodContext pod;
  private final String configuredIdentity;

  public ToolCallAuthorizer(PolicyState state, AuditRecorder audit, SidecarMetrics metrics, Clock clock, PodContext pod,
      String configuredIdentity) {
    this.state = state;
    this.audit = audit;
    this.metrics = metrics;
    this.clock = clock;
    this.pod = pod;
    this.configuredIdentity = configuredIdentity;
  }

  /**
   * Decides one call before it runs: records the attempt, decides (deny without a bundle), and
   * records the decision. {@code approval_required} is answered as a deny until approvals exist.
   */
  public Decision authorize(ToolCall call, String permissionMode) {
    Optional<PolicyEngine> engine = state.engine();
    String identity = identity(engine);
    audit.attempted(call, identity, engine.map(PolicyEngine::revision).orElse(""));
    long start = System.nanoTime();
    Decision decision = engine
        .map(e -> e.decide(request(call, permissionMode)))
        .orElseGet(() -> Decision.noBundle("no valid policy bundle is loaded: " + state.problem()));
    decision = withoutApprovals(decision);
    long nanos = System.nanoTime() - start;
    metrics.recordDecision(call.tool(), decision, nanos);
    audit.decided(call, identity, typeOf(decision), decision, nanos / 1_000);
    return decision;
  }

  /** A request that could not be read at all: denied and audited as a denied attempt. */
  public Decision refuse(ToolCall call, String why) {
    Optional<PolicyEngine> engine = state.engine();
    String identity = identity(engine);
    audit.attempted(call, identity, engine.map(PolicyEngine::revision).orElse(""));
    Decision decision = Decision.badRequest(why, engine.map(PolicyEngine::revision).orElse(""));
    metrics.recordBadRequest();
    metrics.recordDecision(call.tool(), decision, 0);
    audit.decided(call, identity, AuditEventType.DENIED, decision, 0L);
    return decision;
  }

  /** Records what happened after an allowed call ran (the Post hooks). */
  public void recordOutcome(ToolCall call, boolean failed, JsonNode response) {
    Optional<PolicyEngine> engine = state.engine();
    String message = failed && response != null ? (response.isTextual() ? response.asText() : response.toString()) : "";
    audit.outcome(call, identity(engine), failed, message, engine.map(PolicyEngine::revision).orElse(""));
  }

  private DecisionRequest request(ToolCall call, String permissionMode) {
    RequestContext context = new RequestContext(call.cwd(), pod.agentHome(), call.sessionId(), permissionMode,
        pod.pod(), pod.namespace(), clock.instant());
    return new DecisionRequest(call.tool(), call.args(), pod.principal(), pod.groups(), context);
  }

  // Until the approval flow exists (ToolCallApproval), a call that needs a human is refused.
  private static Decision withoutApprovals(Decision decision) {
    if (decision.outcome() != Outcome.APPROVAL_REQUIRED) {
      return decision;
    }
    return new Decision(Outcome.DENY, List.of(Reason.ApprovalRequired.name()), decision.rules(),
        List.of(String.join("; ", decision.messages()).isBlank()
            ? "this call requires approval, and approvals are not enabled on this sidecar"
            : String.join("; ", decision.messages()) + " (approval required; approvals are not enabled on this sidecar)"),
        decision.approvers(), decision.bundleRevision(), null, decision.conditionErrors(), decision.resource());
  }

  private static AuditEventType typeOf(Decision decision) {
    return switch (decision.outcome()) {
      case ALLOW -> AuditEventType.ALLOWED;
      case DENY -> AuditEventType.DENIED;
      case APPROVAL_REQUIRED -> AuditEventType.APPROVAL_REQUESTED;
    };
  }

  private String identity(Optional<PolicyEngine> engine) {
    return engine.map(e -> e.bundle().identity().namespace() + "/" + e.bundle().identity().name()).orElse(configuredIdentity);
  }

  /** The identity decisions are taken for. */
  public String identity() {
    return identity(state.engine());
  }
}
