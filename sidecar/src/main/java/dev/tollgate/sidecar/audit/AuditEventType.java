package dev.tollgate.sidecar.audit;

/**
 * The event types of docs/design.md §6: attempted, decided, approved and executed calls kept apart.
 */
public enum AuditEventType {
  ATTEMPTED("tool_call.attempted"),
  ALLOWED("tool_call.allowed"),
  DENIED("tool_call.denied"),
  APPROVAL_REQUESTED("tool_call.approval_requested"),
  APPROVED("tool_call.approved"),
  REJECTED("tool_call.rejected"),
  EXECUTED("tool_call.executed"),
  FAILED("tool_call.failed"),
  /** A connection of the egress gate closed (with its bytes each way and duration). */
  CLOSED("tool_call.closed");

  private final String wireName;

  AuditEventType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
