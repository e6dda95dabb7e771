package dev.tollgate.sidecar.core;

import dev.tollgate.engine.decision.Decision;
import dev.tollgate.sidecar.audit.AuditEvent.ApprovalRef;
import java.util.Optional;

/**
 * A decision and the approval that holds, allowed or refused the call, if one did: a door that
 * answers at once (AuthZEN) names that approval to its caller.
 *
 * @param approval the approval, or null when none was involved
 */
public record Verdict(Decision decision, ApprovalRef approval) {

  /** The approval's {@code namespace/name}, if one was involved. */
  public Optional<String> approvalName() {
    return Optional.ofNullable(approval).map(ApprovalRef::name);
  }
}
