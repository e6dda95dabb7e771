package dev.tollgate.sidecar.audit;

/**
 * Where audit events go. Implementations must not throw: a failed write is counted (and reported)
 * by the sink itself, never allowed to change a decision.
 */
public interface AuditSink {

  void write(AuditEvent event);

  /** Pushes buffered events out. Sinks that do not buffer have nothing to do. */
  default void flush() {}
}
