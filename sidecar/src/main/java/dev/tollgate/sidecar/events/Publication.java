package dev.tollgate.sidecar.events;

import dev.tollgate.sidecar.audit.AuditEvent;

/**
 * One Event to publish: a single audit event, or a summary of {@code folded} similar ones that were
 * held back (then {@code event} is the last of them).
 */
record Publication(AuditEvent event, int folded) {

  static Publication single(AuditEvent event) {
    return new Publication(event, 0);
  }

  /** How many audit events this Event stands for: what is lost if it cannot be published. */
  int denials() {
    return folded == 0 ? 1 : folded;
  }
}
