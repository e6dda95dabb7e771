package dev.tollgate.sidecar.authz;

import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.ResourceDeriver;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.AuditEventType;
import dev.tollgate.sidecar.audit.AuditSink;
import dev.tollgate.sidecar.audit.Redactor;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Turns calls and decisions into audit events. Every event passes through the {@link Redactor}:
 * raw arguments never leave this class.
 */
public final class AuditRecorder {

  private final AuditSink sink;
  private final Redactor redactor;
  private final Consumer<AuditEvent> denialListener;
  private final Clock clock;
  private final PodContext pod;

  /**
   * @param denialListener told of denials and approval events (Kubernetes Events); must not block
   */
  public AuditRecorder(AuditSink sink, Redactor redactor, Consumer<AuditEvent> denialListener, Clock clock, PodContext pod) {
    this.sink = sink;
    this.redactor = redactor;
    this.denialListener = denialListener;
    this.clock = clock;
    this.pod = pod;
  }

  public void attempted(ToolCall call, String identity, String bundleRevision) {
    sink.write(event(AuditEventType.ATTEMPTED, call, identity, resourceOf(call), null, null, List.of(), List.of(),
        bundleRevision, "", null));
  }

  public void decided(ToolCall call, String identity, AuditEventType type, Decision decision, long latencyMicros) {
    Decision would = decision.wouldDecide();
    Map<String, Object> resource = decision.resource().isEmpty()
        ? resourceOf(call) : call.redactedResource(() -> redactor.redact(decision.resource()));
    AuditEvent event = event(type, call, identity, resource,
        decision.outcome().wireName(), would == null ? null : would.outcome().wireName(),
        would == null ? decision.reasons() : would.reasons(),
        would == null ? decision.rules() : would.rules(),
        decision.bundleRevision(), redactor.redactText(decision.summary()), latencyMicros);
    sink.write(event);
    if (type != AuditEventType.ALLOWED) {
      denialListener.accept(event);
    }
  }

  /** The Post hooks: the call ran ({@code executed}) or ran and failed ({@code failed}). */
  public void outcome(ToolCall call, String identity, boolean failed, String message, String bundleRevision) {
    sink.write(event(failed ? AuditEventType.FAILED : AuditEventType.EXECUTED, call, identity, resourceOf(call),
        null, null, List.of(), List.of(), bundleRevision, message == null ? "" : redactor.redactText(message), null));
  }

  // Each call is redacted once, however many events it gets: redaction dominated a decision's cost.
  private Map<String, Object> resourceOf(ToolCall call) {
    if (call.tool() == null || call.args() == null) {
      return Map.of();
    }
    return call.redactedResource(() -> redactor.redact(ResourceDeriver.derive(call.tool(), call.args(), call.cwd(), pod.agentHome())));
  }

  private AuditEvent event(AuditEventType type, ToolCall call, String identity, Map<String, Object> resource,
      String decision, String wouldDecide, List<String> reasons, List<String> rules, String revision, String message,
      Long latencyMicros) {
    return new AuditEvent(AuditEvent.SCHEMA, UUID.randomUUID().toString(), clock.instant(), type, call.correlationId(),
        call.source(), identity, pod.namespace(), pod.pod(), pod.principal(), call.sessionId(), call.tool(), resource,
        call.argsDigest(), call.args() == null ? null : call.redactedArgs(() -> redactor.redact(call.args())), decision,
        wouldDecide, reasons,
        rules, revision, message, latencyMicros);
  }
}
