package dev.tollgate.sidecar.events;

import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.AuditEventType;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Audit events as the recorder makes them: argument summary and message already redacted. */
final class TestEvents {

  static final Instant TIME = Instant.parse("2026-03-01T10:15:30.123456789Z");

  private TestEvents() {}

  static AuditEvent denial(String tool, String rule) {
    return event(
        AuditEventType.DENIED,
        tool,
        List.of("RuleDenied"),
        List.of(rule),
        null,
        "denied by rule " + rule);
  }

  static AuditEvent event(
      AuditEventType type,
      String tool,
      List<String> reasons,
      List<String> rules,
      Object argsSummary,
      String message) {
    return new AuditEvent(
        AuditEvent.SCHEMA,
        "audit-1",
        TIME,
        type,
        "toolu_01",
        "claude-code-hook",
        "team-a/coder",
        "team-a",
        "agent-7",
        "alice",
        "session-1",
        tool,
        Map.of(),
        "sha256:00",
        argsSummary,
        type == AuditEventType.APPROVAL_REQUESTED ? "approval_required" : "deny",
        null,
        reasons,
        rules,
        "rev-1",
        message,
        12L,
        null,
        null,
        null);
  }
}
