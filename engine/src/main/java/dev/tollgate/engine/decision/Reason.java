package dev.tollgate.engine.decision;

/** Why a decision came out as it did; the CamelCase codes appear on every wire and in audit. */
public enum Reason {
  /** The request could not be read. */
  BadRequest,
  /** No valid bundle is loaded. */
  NoBundle,
  /** No ToolScope of the identity names the tool. */
  OutOfScope,
  /** The identity may not act for the principal. */
  DelegationNotAllowed,
  /** The identity requires a principal and none was given. */
  DelegationRequired,
  /** A Deny rule matched. */
  RuleDenied,
  /** A RequireApproval rule matched and no approval covers the call. */
  ApprovalRequired,
  /** A RequireApproval rule matched and a human approved this exact call. */
  ApprovalGranted,
  /** A human rejected this exact call. */
  ApprovalRejected,
  /** Waiting for a human took longer than the identity allows. */
  ApprovalTimedOut,
  /** An Allow rule matched. */
  RuleAllowed,
  /** No rule allowed the call (the default). */
  NoRuleAllows,
  /** A rule condition failed to evaluate (Deny and RequireApproval count it as a match). */
  ConditionError,
  /** Audit mode: the call is let through, {@code wouldDecide} says what Enforce would do. */
  AuditMode
}
