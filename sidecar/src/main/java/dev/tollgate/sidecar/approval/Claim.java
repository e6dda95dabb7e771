package dev.tollgate.sidecar.approval;

/** Where a call that needs approval stands with respect to its approvals. */
public sealed interface Claim {

  /** An approval for exactly this call was approved, and this call has now used it. */
  record Granted(ApprovalRecord approval) implements Claim {}

  /** A human rejected exactly this call, and the rejection has not expired. */
  record Rejected(ApprovalRecord approval) implements Claim {}

  /**
   * Waiting for a human; {@code created} when this call asked, false when it joined an earlier ask.
   */
  record Pending(ApprovalRecord approval, boolean created) implements Claim {}

  /** Nobody decided before the wait ended; the approval stays open for a retry. */
  record TimedOut(ApprovalRecord approval) implements Claim {}

  /** Approved, but an identical call used it first: an approval allows one call. */
  record AlreadyUsed(ApprovalRecord approval) implements Claim {}

  /** The approval could not be asked for or read (API server down, no permission). */
  record Unavailable(String why) implements Claim {}
}
