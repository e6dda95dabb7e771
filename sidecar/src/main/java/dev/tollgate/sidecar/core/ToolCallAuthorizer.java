package dev.tollgate.sidecar.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.DecisionRequest;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.decision.Reason;
import dev.tollgate.engine.decision.RequestContext;
import dev.tollgate.sidecar.approval.ApprovalBroker;
import dev.tollgate.sidecar.audit.AuditEvent.ApprovalRef;
import dev.tollgate.sidecar.audit.AuditEvent.Traffic;
import dev.tollgate.sidecar.audit.AuditEventType;
import dev.tollgate.sidecar.audit.AuditRecorder;
import dev.tollgate.sidecar.metrics.SidecarMetrics;
import dev.tollgate.sidecar.policy.PolicyState;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Decides and audits tool calls, whichever door they come through (Claude Code hooks, AuthZEN, the
 * MCP gateway), so the same call gets the same decision and the same audit trail everywhere. Knows
 * nothing of HTTP nor of any protocol: the gates translate to {@link ToolCall} and back.
 *
 * <p>A call that needs approval is either held until a human decides ({@link #authorizeHeld}, for
 * doors that can wait: hooks and MCP) or answered at once with the approval it asked for ({@link
 * #authorize}, AuthZEN); see {@link ApprovalHold}. Without approvals configured, such a call is
 * denied.
 *
 * <p>The tools only a gate decides ({@link GateTools}: Egress, GitFetch, GitPush) are refused
 * through those doors; the gates that see the traffic themselves decide them through {@link
 * #authorizeUnheld} (egress) and {@link #authorizeGate} (the git gateway).
 */
public final class ToolCallAuthorizer {

  private final AllowedCalls allowedCalls = new AllowedCalls();
  private final PolicyState state;
  private final AuditRecorder audit;
  private final SidecarMetrics metrics;
  private final Clock clock;
  private final PodContext pod;
  private final String configuredIdentity;
  private final ApprovalHold hold;

  /**
   * @param approvals the approval broker, or null when approvals are off (such calls are denied)
   */
  public ToolCallAuthorizer(
      PolicyState state,
      AuditRecorder audit,
      SidecarMetrics metrics,
      Clock clock,
      PodContext pod,
      String configuredIdentity,
      ApprovalBroker approvals) {
    this.state = state;
    this.audit = audit;
    this.metrics = metrics;
    this.clock = clock;
    this.pod = pod;
    this.configuredIdentity = configuredIdentity;
    this.hold = new ApprovalHold(approvals, audit, clock, pod, metrics.approvals());
  }

  /**
   * Decides one call before it runs, without waiting: a call that needs approval gets {@code
   * approval_required}, naming the ToolCallApproval it asked for (or joined).
   */
  public Verdict authorize(ToolCall call, String permissionMode) {
    return authorize(call, permissionMode, false).join();
  }

  /**
   * Decides one call before it runs, holding a call that needs approval until a human decides it or
   * the identity's approval timeout passes. Completes normally, never exceptionally.
   */
  public CompletableFuture<Decision> authorizeHeld(ToolCall call, String permissionMode) {
    return authorize(call, permissionMode, true).thenApply(Verdict::decision);
  }

  /**
   * Decides a call of a tool that only a gate decides ({@code GitFetch}, {@code GitPush}), for the
   * gate that sees the traffic itself: the one entry that does not refuse those tools. {@code held}
   * holds an {@code approval_required} call until a human decides (a push, as hook calls are held);
   * otherwise it is a deny and no approval is asked for (a fetch). Completes normally, never
   * exceptionally.
   */
  public CompletableFuture<Decision> authorizeGate(ToolCall call, boolean held) {
    if (!held) {
      return CompletableFuture.completedFuture(authorizeUnheld(call, false));
    }
    return decide(call, "", true).thenApply(Verdict::decision);
  }

  private CompletableFuture<Verdict> authorize(ToolCall call, String permissionMode, boolean held) {
    if (GateTools.reserved(call.tool())) {
      // A door that asks on the agent's behalf (a hook, AuthZEN, MCP) must not obtain a decision,
      // or an approval, that only the gate seeing the real connection or push may take.
      return CompletableFuture.completedFuture(
          new Verdict(
              refuse(
                  call,
                  "tool "
                      + call.tool()
                      + " is decided only by the gate that sees the traffic, not through "
                      + call.source()),
              null));
    }
    return decide(call, permissionMode, held);
  }

  private CompletableFuture<Verdict> decide(ToolCall call, String permissionMode, boolean held) {
    Optional<PolicyEngine> engine = state.engine();
    String identity = identity(engine);
    Instant arrived = clock.instant();
    long start = System.nanoTime();
    Decision decision =
        engine
            .map(e -> e.decide(request(e, call, permissionMode)))
            .orElseGet(
                () -> Decision.noBundle("no valid policy bundle is loaded: " + state.problem()));
    long nanos = System.nanoTime() - start;
    // Written after deciding so it can reuse the decision's resource; it keeps its arrival time.
    audit.attempted(call, arrived, identity, decision);
    ApprovalHold.Recorder recorder =
        (decided, approval) -> record(call, identity, decided, nanos, approval);
    if (decision.outcome() != Outcome.APPROVAL_REQUIRED) {
      return CompletableFuture.completedFuture(recorder.record(decision, null));
    }
    return hold.resolve(call, decision, engine.orElseThrow(), held, recorder);
  }

  /**
   * Decides a call that cannot wait (a network connection of the egress gate): {@code
   * approval_required} is a deny, and no ToolCallApproval is asked for, because nothing would hold
   * the connection while a human decides. Audit mode lets the call through as for every door.
   */
  public Decision authorizeUnheld(ToolCall call, boolean auditOnly) {
    Optional<PolicyEngine> engine = state.engine();
    String identity = identity(engine);
    Instant arrived = clock.instant();
    long start = System.nanoTime();
    Decision decision =
        engine
            .map(e -> e.decide(request(e, call, "")))
            .orElseGet(
                () -> Decision.noBundle("no valid policy bundle is loaded: " + state.problem()));
    if (decision.outcome() == Outcome.APPROVAL_REQUIRED) {
      decision = ApprovalHold.notAwaited(decision);
    }
    if (auditOnly && decision.outcome() != Outcome.ALLOW) {
      decision = decision.auditedOnly();
    }
    long nanos = System.nanoTime() - start;
    audit.attempted(call, arrived, identity, decision);
    return record(call, identity, decision, nanos, null).decision();
  }

  /** Records how an allowed connection ended: the bytes each way and how long it was open. */
  public void recordClosed(ToolCall call, Traffic traffic) {
    Optional<PolicyEngine> engine = state.engine();
    audit.closed(call, identity(engine), engine.map(PolicyEngine::revision).orElse(""), traffic);
  }

  /** A request that could not be read at all: denied and audited as a denied attempt. */
  public Decision refuse(ToolCall call, String why) {
    Optional<PolicyEngine> engine = state.engine();
    String identity = identity(engine);
    audit.attempted(call, identity, engine.map(PolicyEngine::revision).orElse(""));
    Decision decision = Decision.badRequest(why, engine.map(PolicyEngine::revision).orElse(""));
    metrics.recordBadRequest();
    metrics.recordDecision(call.source(), call.tool(), decision, 0);
    audit.decided(call, identity, AuditEventType.DENIED, decision, 0L, null);
    return decision;
  }

  /** Records what happened after an allowed call ran (the Post hooks). */
  public void recordOutcome(ToolCall call, boolean failed, JsonNode response) {
    Optional<PolicyEngine> engine = state.engine();
    String message =
        failed && response != null
            ? (response.isTextual() ? response.asText() : response.toString())
            : "";
    ApprovalRef approval = hold.takeApproved(call.correlationId());
    boolean matched = allowedCalls.reported(call.correlationId());
    if (!matched) {
      metrics.recordUnmatchedOutcome();
    }
    audit.outcome(
        call,
        identity(engine),
        failed,
        message,
        engine.map(PolicyEngine::revision).orElse(""),
        approval,
        matched);
  }

  private Verdict record(
      ToolCall call, String identity, Decision decision, long nanos, ApprovalRef approval) {
    metrics.recordDecision(call.source(), call.tool(), decision, nanos);
    if (decision.outcome() == Outcome.ALLOW) {
      allowedCalls.allowed(call.correlationId());
    }
    audit.decided(call, identity, typeOf(decision), decision, nanos / 1_000, approval);
    return new Verdict(decision, approval);
  }

  private DecisionRequest request(PolicyEngine engine, ToolCall call, String permissionMode) {
    RequestContext context =
        new RequestContext(
                call.cwd(),
                pod.agentHome(),
                call.sessionId(),
                permissionMode,
                pod.name(),
                pod.namespace(),
                clock.instant())
            .withAgent(runtime(engine, call), call.agentId(), call.agentType());
    return new DecisionRequest(
        call.tool(), call.args(), pod.principal(), pod.groups(), context, call.annotations());
  }

  /**
   * The client a call came from, as {@code context.runtime}: a hook door names its client; the
   * other doors (AuthZEN, MCP, the gates) serve whatever runs in the pod, so they report the
   * runtime the identity declares.
   */
  private static String runtime(PolicyEngine engine, ToolCall call) {
    if (call.runtime() != null) {
      return call.runtime();
    }
    return switch (call.source()) {
      case "claude-code-hook" -> "ClaudeCode";
      case "gemini-cli-hook" -> "GeminiCli";
      default -> engine.bundle().identity().runtime();
    };
  }

  private static AuditEventType typeOf(Decision decision) {
    if (decision.reasons().contains(Reason.ApprovalGranted)) {
      return AuditEventType.APPROVED;
    }
    if (decision.reasons().contains(Reason.ApprovalRejected)) {
      return AuditEventType.REJECTED;
    }
    return switch (decision.outcome()) {
      case ALLOW -> AuditEventType.ALLOWED;
      case DENY -> AuditEventType.DENIED;
      case APPROVAL_REQUIRED -> AuditEventType.APPROVAL_REQUESTED;
    };
  }

  private String identity(Optional<PolicyEngine> engine) {
    return engine
        .map(e -> e.bundle().identity().namespace() + "/" + e.bundle().identity().name())
        .orElse(configuredIdentity);
  }

  /** The identity decisions are taken for. */
  public String identity() {
    return identity(state.engine());
  }
}
