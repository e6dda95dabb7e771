package dev.tollgate.sidecar.authz;

import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.DecisionRequest;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.decision.Reason;
import dev.tollgate.engine.decision.RequestContext;
import dev.tollgate.sidecar.approval.ApprovalBroker;
import dev.tollgate.sidecar.approval.ApprovalRecord;
import dev.tollgate.sidecar.approval.Claim;
import dev.tollgate.sidecar.audit.AuditEvent.ApprovalRef;
import dev.tollgate.sidecar.audit.AuditEventType;
import dev.tollgate.sidecar.metrics.SidecarMetrics;
import dev.tollgate.sidecar.policy.PolicyState;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Decides and audits tool calls, whichever door they come through (Claude Code hooks, AuthZEN,
 * the MCP gateway), so the same call gets the same decision and the same audit trail everywhere.
 * Knows nothing of HTTP.
 *
 * <p>A call that needs approval is either held until a human decides ({@link #authorizeHeld}, for
 * doors that can wait: hooks and MCP) or answered at once with the approval it asked for
 * ({@link #authorize}, AuthZEN). Without approvals configured, such a call is denied.
 */
public final class ToolCallAuthorizer {

  private static final int REMEMBERED_APPROVALS = 4_096;

  private final PolicyState state;
  private final AuditRecorder audit;
  private final SidecarMetrics metrics;
  private final Clock clock;
  private final PodContext pod;
  private final String configuredIdentity;
  private final ApprovalBroker approvals;
  // Which approval let a call run, by correlation id, so its executed event can name it.
  private final Map<String, ApprovalRef> approvedCalls = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ApprovalRef> eldest) {
      return size() > REMEMBERED_APPROVALS;
    }
  };

  /**
   * @param approvals the approval broker, or null when approvals are off (such calls are denied)
   */
  public ToolCallAuthorizer(PolicyState state, AuditRecorder audit, SidecarMetrics metrics, Clock clock, PodContext pod,
      String configuredIdentity, ApprovalBroker approvals) {
    this.state = state;
    this.audit = audit;
    this.metrics = metrics;
    this.clock = clock;
    this.pod = pod;
    this.configuredIdentity = configuredIdentity;
    this.approvals = approvals;
  }

  /**
   * Decides one call before it runs, without waiting: a call that needs approval gets
   * {@code approval_required}, naming the ToolCallApproval it asked for (or joined).
   */
  public Decision authorize(ToolCall call, String permissionMode) {
    return authorize(call, permissionMode, false).join();
  }

  /**
   * Decides one call before it runs, holding a call that needs approval until a human decides
   * it or the identity's approval timeout passes. Completes normally, never exceptionally.
   */
  public CompletableFuture<Decision> authorizeHeld(ToolCall call, String permissionMode) {
    return authorize(call, permissionMode, true);
  }

  private CompletableFuture<Decision> authorize(ToolCall call, String permissionMode, boolean hold) {
    Optional<PolicyEngine> engine = state.engine();
    String identity = identity(engine);
    Instant arrived = clock.instant();
    long start = System.nanoTime();
    Decision decision = engine
        .map(e -> e.decide(request(call, permissionMode)))
        .orElseGet(() -> Decision.noBundle("no valid policy bundle is loaded: " + state.problem()));
    long nanos = System.nanoTime() - start;
    // Written after deciding so it can reuse the decision's resource; it keeps its arrival time.
    audit.attempted(call, arrived, identity, decision);
    if (decision.outcome() != Outcome.APPROVAL_REQUIRED) {
      return CompletableFuture.completedFuture(record(call, identity, decision, nanos, null));
    }
    if (approvals == null) {
      return CompletableFuture.completedFuture(record(call, identity, withoutApprovals(decision), nanos, null));
    }
    PolicyEngine decidedBy = engine.orElseThrow();
    Duration wait = Duration.ofSeconds(decidedBy.bundle().identity().approval().timeoutSeconds());
    Claim claim = approvals.claim(new ApprovalBroker.Request(decidedBy.bundle().identity().name(), pod.pod(), call.tool(),
        call.argsDigest(), audit.summary(call, decision), requestedBy(), decision.approvers(), wait, call.correlationId()));
    if (!(claim instanceof Claim.Pending pending)) {
      return CompletableFuture.completedFuture(resolved(call, identity, decision, claim, nanos));
    }
    ApprovalRecord approval = pending.approval();
    Decision asked = withMessage(decision, "approval required: ToolCallApproval " + approval.name()
        + (pending.created() ? " asks " : " already asks ") + String.join(", ", decision.approvers())
        + (hold ? "; waiting up to " + wait.toSeconds() + "s" : ""));
    record(call, identity, asked, nanos, ref(approval, false));
    if (!hold) {
      return CompletableFuture.completedFuture(asked);
    }
    return approvals.await(approval, call.correlationId(), wait)
        .thenApply(outcome -> resolved(call, identity, decision, outcome, nanos));
  }

  /** A request that could not be read at all: denied and audited as a denied attempt. */
  public Decision refuse(ToolCall call, String why) {
    Optional<PolicyEngine> engine = state.engine();
    String identity = identity(engine);
    audit.attempted(call, identity, engine.map(PolicyEngine::revision).orElse(""));
    Decision decision = Decision.badRequest(why, engine.map(PolicyEngine::revision).orElse(""));
    metrics.recordBadRequest();
    metrics.recordDecision(call.tool(), decision, 0);
    audit.decided(call, identity, AuditEventType.DENIED, decision, 0L, null);
    return decision;
  }

  /** Records what happened after an allowed call ran (the Post hooks). */
  public void recordOutcome(ToolCall call, boolean failed, JsonNode response) {
    Optional<PolicyEngine> engine = state.engine();
    String message = failed && response != null ? (response.isTextual() ? response.asText() : response.toString()) : "";
    ApprovalRef approval;
    synchronized (approvedCalls) {
      approval = approvedCalls.remove(call.correlationId());
    }
    audit.outcome(call, identity(engine), failed, message, engine.map(PolicyEngine::revision).orElse(""), approval);
  }

  /** The approval that allowed or holds this call, if one did ({@code namespace/name}). */
  public Optional<String> approvalOf(ToolCall call) {
    return Optional.ofNullable(call.approval()).map(ApprovalRef::name);
  }

  private Decision resolved(ToolCall call, String identity, Decision decision, Claim claim, long nanos) {
    Decision resolved;
    ApprovalRef approval;
    if (claim instanceof Claim.Granted granted) {
      approval = ref(granted.approval(), true);
      resolved = decision.resolvedByApproval(Reason.ApprovalGranted, "approved by " + approval.decidedBy()
          + reasonText(granted.approval()) + " (ToolCallApproval " + approval.name() + ")");
      synchronized (approvedCalls) {
        approvedCalls.put(call.correlationId(), approval);
      }
    } else if (claim instanceof Claim.Rejected rejected) {
      approval = ref(rejected.approval(), true);
      resolved = decision.resolvedByApproval(Reason.ApprovalRejected, "rejected by " + approval.decidedBy()
          + reasonText(rejected.approval()) + " (ToolCallApproval " + approval.name() + ")");
    } else if (claim instanceof Claim.TimedOut timedOut) {
      approval = ref(timedOut.approval(), false);
      resolved = decision.resolvedByApproval(Reason.ApprovalTimedOut, "no decision in time on ToolCallApproval "
          + approval.name() + "; it stays open until " + timedOut.approval().expiresAt()
          + ": once approved, retrying the same call runs it");
    } else if (claim instanceof Claim.AlreadyUsed used) {
      approval = ref(used.approval(), true);
      resolved = decision.resolvedByApproval(Reason.ApprovalRequired, "ToolCallApproval " + approval.name()
          + " allowed an identical call already; an approval allows one call, retry to ask again");
    } else {
      String why = claim instanceof Claim.Unavailable unavailable ? unavailable.why() : String.valueOf(claim);
      approval = null;
      resolved = decision.resolvedByApproval(Reason.ApprovalRequired,
          "this call requires approval, and the approval could not be asked for or read: " + why);
    }
    return record(call, identity, resolved, nanos, approval);
  }

  private Decision record(ToolCall call, String identity, Decision decision, long nanos, ApprovalRef approval) {
    metrics.recordDecision(call.tool(), decision, nanos);
    call.approval(approval);
    audit.decided(call, identity, typeOf(decision), decision, nanos / 1_000, approval);
    return decision;
  }

  private ApprovalRef ref(ApprovalRecord approval, boolean decided) {
    return new ApprovalRef(approval.name(), decided && !approval.decidedBy().isEmpty() ? approval.decidedBy() : null,
        decided && !approval.reason().isEmpty() ? approval.reason() : null, decided ? clock.instant() : null);
  }

  private static String reasonText(ApprovalRecord approval) {
    return approval.reason().isEmpty() ? "" : ": " + approval.reason();
  }

  private String requestedBy() {
    return pod.principal().isEmpty() ? "" : "user:" + pod.principal();
  }

  private DecisionRequest request(ToolCall call, String permissionMode) {
    RequestContext context = new RequestContext(call.cwd(), pod.agentHome(), call.sessionId(), permissionMode,
        pod.pod(), pod.namespace(), clock.instant());
    return new DecisionRequest(call.tool(), call.args(), pod.principal(), pod.groups(), context, call.annotations());
  }

  private static Decision withMessage(Decision decision, String message) {
    List<String> messages = new ArrayList<>(decision.messages());
    messages.add(message);
    return new Decision(decision.outcome(), decision.reasons(), decision.rules(), messages, decision.approvers(),
        decision.bundleRevision(), decision.wouldDecide(), decision.conditionErrors(), decision.resource());
  }

  // Without approvals (outside a cluster, or turned off) a call that needs a human is refused.
  private static Decision withoutApprovals(Decision decision) {
    return new Decision(Outcome.DENY, List.of(Reason.ApprovalRequired), decision.rules(),
        List.of(String.join("; ", decision.messages()).isBlank()
            ? "this call requires approval, and approvals are not enabled on this sidecar"
            : String.join("; ", decision.messages()) + " (approval required; approvals are not enabled on this sidecar)"),
        decision.approvers(), decision.bundleRevision(), null, decision.conditionErrors(), decision.resource());
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
    return engine.map(e -> e.bundle().identity().namespace() + "/" + e.bundle().identity().name()).orElse(configuredIdentity);
  }

  /** The identity decisions are taken for. */
  public String identity() {
    return identity(state.engine());
  }
}
