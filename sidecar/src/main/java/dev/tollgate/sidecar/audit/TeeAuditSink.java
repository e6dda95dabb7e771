package dev.tollgate.sidecar.audit;

/**
 * Writes each event to two sinks in turn: stdout first, then the export's buffer, so the export can
 * never keep an event from stdout.
 */
public record TeeAuditSink(AuditSink first, AuditSink second) implements AuditSink {

  @Override
  public void write(AuditEvent event) {
    first.write(event);
    second.write(event);
  }

  @Override
  public void flush() {
    first.flush();
    second.flush();
  }
}
