package dev.tollgate.sidecar.approval;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The sidecar's view of one ToolCallApproval: what it covers, who may decide it, and where it
 * stands. Only {@code decision} and {@code decidedBy} (guarded by the webhook) and the expiry say
 * whether it allows a call; nothing here is taken from status, which the agent could influence.
 *
 * @param name {@code namespace/name}
 * @param consumedBy the correlation id of the call it allowed, or empty while unused
 */
public record ApprovalRecord(
    String name,
    String pod,
    String tool,
    String argsDigest,
    List<String> approvers,
    Instant expiresAt,
    State state,
    String decidedBy,
    String reason,
    String consumedBy) {

  /** Where a human decision stands. */
  public enum State {
    PENDING,
    APPROVED,
    REJECTED
  }

  public ApprovalRecord {
    approvers = List.copyOf(approvers);
    decidedBy = decidedBy == null ? "" : decidedBy;
    reason = reason == null ? "" : reason;
    consumedBy = consumedBy == null ? "" : consumedBy;
  }

  public boolean expired(Instant now) {
    return !expiresAt.isAfter(now);
  }

  /** Whether it may stand for a call with these coordinates that these approvers must decide. */
  public boolean covers(
      String pod, String tool, String argsDigest, List<String> requiredApprovers) {
    // Equal approvers, not just an overlap: an approval someone else created naming their own
    // approvers must not unlock a call whose rule names different ones.
    return this.pod.equals(pod)
        && this.tool.equals(tool)
        && this.argsDigest.equals(argsDigest)
        && Set.copyOf(approvers).equals(Set.copyOf(requiredApprovers));
  }

  public ApprovalRecord consumed(String correlationId) {
    return new ApprovalRecord(
        name, pod, tool, argsDigest, approvers, expiresAt, state, decidedBy, reason, correlationId);
  }
}
