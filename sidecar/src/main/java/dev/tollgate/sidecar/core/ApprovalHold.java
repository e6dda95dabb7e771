package dev.tollgate.sidecar.core;

import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.decision.Reason;
import dev.tollgate.engine.model.PrincipalList;
import dev.tollgate.sidecar.approval.ApprovalBroker;
import dev.tollgate.sidecar.approval.ApprovalRecord;
import dev.tollgate.sidecar.approval.Claim;
import dev.tollgate.sidecar.audit.AuditEvent.ApprovalRef;
import dev.tollgate.sidecar.audit.AuditRecorder;
import dev.tollgate.sidecar.metrics.ApprovalMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What happens to a call whose decision is {@code approval_required}: the ToolCallApproval is asked
 * for (or joined), the call is held until a human decides or answered at once, and the claim is
 * turned into the decision that is enforced. Without approvals such a call is denied.
 */
final class ApprovalHold {

  private static final int REMEMBERED_APPROVALS = 4_096;

  /** Audits and counts a decision, and returns it with the approval involved. */
  interface Recorder {
    Verdict record(Decision decision, ApprovalRef approval);
  }

  private final ApprovalBroker approvals;
  private final AuditRecorder audit;
  private final Clock clock;
  private final PodContext pod;
  private final ApprovalMeter meter;
  // Which approval let a call run, by correlation id, so its executed event can name it.
  private final Map<String, ApprovalRef> approvedCalls =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ApprovalRef> eldest) {
          return size() > REMEMBERED_APPROVALS;
        }
      };

  /**
   * @param approvals the approval broker, or null when approvals are off
   */
  ApprovalHold(
      ApprovalBroker approvals,
      AuditRecorder audit,
      Clock clock,
      PodContext pod,
      ApprovalMeter meter) {
    this.approvals = approvals;
    this.audit = audit;
    this.clock = clock;
    this.pod = pod;
    this.meter = meter;
  }

  /**
   * Resolves a call that needs approval.
   *
   * @param hold whether to wait for the human (hooks, MCP) or answer with the approval asked for
   *     (AuthZEN)
   */
  CompletableFuture<Verdict> resolve(
      ToolCall call, Decision decision, PolicyEngine decidedBy, boolean hold, Recorder recorder) {
    if (approvals == null) {
      return CompletableFuture.completedFuture(recorder.record(withoutApprovals(decision), null));
    }
    Duration wait = Duration.ofSeconds(decidedBy.bundle().identity().approval().timeoutSeconds());
    Claim claim =
        approvals.claim(
            new ApprovalBroker.Request(
                decidedBy.bundle().identity().name(),
                pod.name(),
                call.tool(),
                call.argsDigest(),
                audit.summary(call, decision),
                requestedBy(),
                decision.approvers(),
                wait,
                call.correlationId()));
    if (!(claim instanceof Claim.Pending pending)) {
      return CompletableFuture.completedFuture(resolved(call, decision, claim, recorder));
    }
    ApprovalRecord approval = pending.approval();
    Decision asked =
        withMessage(
            decision,
            "approval required: ToolCallApproval "
                + approval.name()
                + (pending.created() ? " asks " : " already asks ")
                + String.join(", ", decision.approvers())
                + (hold ? "; waiting up to " + wait.toSeconds() + "s" : ""));
    Verdict waiting = recorder.record(asked, ref(approval, false));
    meter.requested(hold);
    if (!hold) {
      return CompletableFuture.completedFuture(waiting);
    }
    long ticket = meter.holding();
    return approvals
        .await(approval, call.correlationId(), wait)
        .whenComplete((outcome, error) -> meter.released(ticket, waitOutcome(outcome)))
        .thenApply(outcome -> resolved(call, decision, outcome, recorder));
  }

  /** The approval that let this call run, forgotten once asked for (its outcome names it once). */
  ApprovalRef takeApproved(String correlationId) {
    synchronized (approvedCalls) {
      return approvedCalls.remove(correlationId);
    }
  }

  private static ApprovalMeter.Outcome waitOutcome(Claim claim) {
    if (claim instanceof Claim.Granted) {
      return ApprovalMeter.Outcome.APPROVED;
    }
    if (claim instanceof Claim.Rejected) {
      return ApprovalMeter.Outcome.REJECTED;
    }
    if (claim instanceof Claim.TimedOut) {
      return ApprovalMeter.Outcome.TIMED_OUT;
    }
    if (claim instanceof Claim.AlreadyUsed) {
      return ApprovalMeter.Outcome.ALREADY_USED;
    }
    return ApprovalMeter.Outcome.UNAVAILABLE;
  }

  private Verdict resolved(ToolCall call, Decision decision, Claim claim, Recorder recorder) {
    Decision resolved;
    ApprovalRef approval;
    if (claim instanceof Claim.Granted granted) {
      approval = ref(granted.approval(), true);
      resolved =
          decision.resolvedByApproval(
              Reason.ApprovalGranted,
              "approved by "
                  + approval.decidedBy()
                  + reasonText(granted.approval())
                  + " (ToolCallApproval "
                  + approval.name()
                  + ")");
      synchronized (approvedCalls) {
        approvedCalls.put(call.correlationId(), approval);
      }
    } else if (claim instanceof Claim.Rejected rejected) {
      approval = ref(rejected.approval(), true);
      resolved =
          decision.resolvedByApproval(
              Reason.ApprovalRejected,
              "rejected by "
                  + approval.decidedBy()
                  + reasonText(rejected.approval())
                  + " (ToolCallApproval "
                  + approval.name()
                  + ")");
    } else if (claim instanceof Claim.TimedOut timedOut) {
      approval = ref(timedOut.approval(), false);
      resolved =
          decision.resolvedByApproval(
              Reason.ApprovalTimedOut,
              "no decision in time on ToolCallApproval "
                  + approval.name()
                  + "; it stays open until "
                  + timedOut.approval().expiresAt()
                  + ": once approved, retrying the same call runs it");
    } else if (claim instanceof Claim.AlreadyUsed used) {
      approval = ref(used.approval(), true);
      resolved =
          decision.resolvedByApproval(
              Reason.ApprovalRequired,
              "ToolCallApproval "
                  + approval.name()
                  + " allowed an identical call already; an approval allows one call, retry to ask again");
    } else {
      String why =
          claim instanceof Claim.Unavailable unavailable
              ? unavailable.why()
              : String.valueOf(claim);
      approval = null;
      resolved =
          decision.resolvedByApproval(
              Reason.ApprovalRequired,
              "this call requires approval, and the approval could not be asked for or read: "
                  + why);
    }
    return recorder.record(resolved, approval);
  }

  private ApprovalRef ref(ApprovalRecord approval, boolean decided) {
    return new ApprovalRef(
        approval.name(),
        decided && !approval.decidedBy().isEmpty() ? approval.decidedBy() : null,
        decided && !approval.reason().isEmpty() ? approval.reason() : null,
        decided ? clock.instant() : null);
  }

  private static String reasonText(ApprovalRecord approval) {
    return approval.reason().isEmpty() ? "" : ": " + approval.reason();
  }

  private String requestedBy() {
    return pod.principal().isEmpty() ? "" : PrincipalList.USER_PREFIX + pod.principal();
  }

  private static Decision withMessage(Decision decision, String message) {
    List<String> messages = new ArrayList<>(decision.messages());
    messages.add(message);
    return new Decision(
        decision.outcome(),
        decision.reasons(),
        decision.rules(),
        messages,
        decision.approvers(),
        decision.bundleRevision(),
        decision.wouldDecide(),
        decision.conditionErrors(),
        decision.resource());
  }

  // Without approvals (outside a cluster, or turned off) a call that needs a human is refused.
  /** The deny of a call that needs approval but cannot wait for one (an egress connection). */
  static Decision notAwaited(Decision decision) {
    return new Decision(
        Outcome.DENY,
        List.of(Reason.ApprovalRequired),
        decision.rules(),
        List.of(
            (String.join("; ", decision.messages()).isBlank()
                    ? "this connection requires approval"
                    : String.join("; ", decision.messages()))
                + " (a connection never waits for approval: it is denied)"),
        decision.approvers(),
        decision.bundleRevision(),
        null,
        decision.conditionErrors(),
        decision.resource());
  }

  private static Decision withoutApprovals(Decision decision) {
    return new Decision(
        Outcome.DENY,
        List.of(Reason.ApprovalRequired),
        decision.rules(),
        List.of(
            String.join("; ", decision.messages()).isBlank()
                ? "this call requires approval, and approvals are not enabled on this sidecar"
                : String.join("; ", decision.messages())
                    + " (approval required; approvals are not enabled on this sidecar)"),
        decision.approvers(),
        decision.bundleRevision(),
        null,
        decision.conditionErrors(),
        decision.resource());
  }
}
