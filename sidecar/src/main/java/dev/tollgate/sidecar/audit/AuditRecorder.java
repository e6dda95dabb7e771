package dev.tollgate.sidecar.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.decision.CommandSummary;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.ResourceDeriver;
import dev.tollgate.sidecar.audit.AuditEvent.ApprovalRef;
import dev.tollgate.sidecar.audit.AuditEvent.Traffic;
import dev.tollgate.sidecar.core.PodContext;
import dev.tollgate.sidecar.core.ToolCall;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Turns calls and decisions into audit events. Every event passes through the {@link Redactor}: raw
 * arguments never leave this class.
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
  public AuditRecorder(
      AuditSink sink,
      Redactor redactor,
      Consumer<AuditEvent> denialListener,
      Clock clock,
      PodContext pod) {
    this.sink = sink;
    this.redactor = redactor;
    this.denialListener = denialListener;
    this.clock = clock;
    this.pod = pod;
  }

  public void attempted(ToolCall call, String identity, String bundleRevision) {
    sink.write(undecided(AuditEventType.ATTEMPTED, call, identity, bundleRevision, null));
  }

  /**
   * The attempt of a call that has been decided already, stamped with the time it arrived: its
   * resource is the one the decision derived, so the call is not derived a second time.
   */
  public void attempted(ToolCall call, Instant at, String identity, Decision decision) {
    Map<String, Object> resource = resourceOf(call, decision);
    sink.write(
        event(
            AuditEventType.ATTEMPTED,
            at,
            call,
            identity,
            resource,
            null,
            null,
            List.of(),
            List.of(),
            decision.bundleRevision(),
            "",
            null,
            null,
            null,
            null));
  }

  public void decided(
      ToolCall call,
      String identity,
      AuditEventType type,
      Decision decision,
      long latencyMicros,
      ApprovalRef approval) {
    Decision would = decision.wouldDecide();
    Map<String, Object> resource = resourceOf(call, decision);
    AuditEvent event =
        event(
            type,
            clock.instant(),
            call,
            identity,
            resource,
            decision.outcome().wireName(),
            would == null ? null : would.outcome().wireName(),
            would == null ? decision.reasonCodes() : would.reasonCodes(),
            would == null ? decision.rules() : would.rules(),
            decision.bundleRevision(),
            redactor.redactText(decision.summary()),
            latencyMicros,
            approval,
            null,
            null);
    sink.write(event);
    if (type != AuditEventType.ALLOWED) {
      denialListener.accept(event);
    }
  }

  /** The Post hooks: the call ran ({@code executed}) or ran and failed ({@code failed}). */
  public void outcome(
      ToolCall call,
      String identity,
      boolean failed,
      String message,
      String bundleRevision,
      ApprovalRef approval,
      boolean matched) {
    AuditEvent event =
        event(
            failed ? AuditEventType.FAILED : AuditEventType.EXECUTED,
            clock.instant(),
            call,
            identity,
            resourceOf(call),
            null,
            null,
            List.of(),
            List.of(),
            bundleRevision,
            message == null ? "" : redactor.redactText(message),
            null,
            approval,
            matched ? null : Boolean.TRUE,
            null);
    sink.write(event);
  }

  /** A connection of the egress gate closed: what went through it, and why it ended. */
  public void closed(ToolCall call, String identity, String bundleRevision, Traffic traffic) {
    sink.write(undecided(AuditEventType.CLOSED, call, identity, bundleRevision, traffic));
  }

  /** A record that carries no decision of its own: the call, now, and what it carried. */
  private AuditEvent undecided(
      AuditEventType type, ToolCall call, String identity, String revision, Traffic traffic) {
    return event(
        type,
        clock.instant(),
        call,
        identity,
        resourceOf(call),
        null,
        null,
        List.of(),
        List.of(),
        revision,
        "",
        null,
        null,
        null,
        traffic);
  }

  /**
   * One line for the human who approves: the tool and what it touches, secrets masked. Never the
   * raw arguments: the approval is readable by everyone who may list approvals.
   */
  public String summary(ToolCall call, Decision decision) {
    // The full resource (a command's parsed structure), not the audit's compact view: approvals
    // are rare and the approver must see what will run.
    Map<String, Object> resource =
        decision.resource().isEmpty() ? resourceOf(call) : redactor.redact(decision.resource());
    Object what =
        switch (String.valueOf(resource.get("type"))) {
          case "command" -> CommandSummary.of(resource);
          case "file" -> resource.get("path");
          case "url" -> resource.get("url");
          default -> call.args() == null ? "" : argsOf(call).toString();
        };
    return redactor.redactText(call.tool() + ": " + what);
  }

  // The resource the decision derived (redacted once); derived here only when the decision has
  // none.
  private Map<String, Object> resourceOf(ToolCall call, Decision decision) {
    return decision.resource().isEmpty()
        ? resourceOf(call)
        : call.redactedResource(() -> redactor.redact(AuditResource.compact(decision.resource())));
  }

  // Each call is redacted once, however many events it gets: redaction dominated a decision's cost.
  private Map<String, Object> resourceOf(ToolCall call) {
    if (call.tool() == null || call.args() == null) {
      return Map.of();
    }
    if (AuditResource.isCommand(call.tool())) {
      // Without a decision (the Post hooks' executed/failed reports, refused requests) a shell
      // command is recorded as given: parsing it again would add a parse to every reported call,
      // and the call's decided event already carries what the parser found.
      return redactor.redact(AuditResource.commandAsGiven(call.args()));
    }
    return call.redactedResource(
        () ->
            redactor.redact(
                ResourceDeriver.derive(
                    call.tool(), call.args(), call.cwd(), pod.agentHome(), call.annotations())));
  }

  private JsonNode argsOf(ToolCall call) {
    return call.redactedArgs(() -> redactor.redact(call.args()));
  }

  // A version-4 UUID from a non-cryptographic generator: record ids must be unique, not
  // unguessable, and UUID.randomUUID() (SecureRandom) was a visible share of a decision's cost.
  private static String eventId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  private AuditEvent event(
      AuditEventType type,
      Instant time,
      ToolCall call,
      String identity,
      Map<String, Object> resource,
      String decision,
      String wouldDecide,
      List<String> reasons,
      List<String> rules,
      String revision,
      String message,
      Long latencyMicros,
      ApprovalRef approval,
      Boolean unmatched,
      Traffic traffic) {
    return new AuditEvent(
        AuditEvent.SCHEMA,
        eventId(),
        time,
        type,
        call.correlationId(),
        call.source(),
        identity,
        pod.namespace(),
        pod.name(),
        pod.principal(),
        call.sessionId(),
        call.tool(),
        resource,
        call.argsDigest(),
        call.args() == null ? null : argsOf(call),
        decision,
        wouldDecide,
        reasons,
        rules,
        revision,
        message,
        latencyMicros,
        approval,
        unmatched,
        traffic);
  }
}
