package dev.tollgate.sidecar.audit.export;

import dev.tollgate.runtime.audit.AuditExportSettings;
import dev.tollgate.runtime.audit.AuditExportSettings.Protocol;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.AuditEventType;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Audit records and export settings for the export's tests. */
final class ExportEvents {

  private ExportEvents() {}

  /** Records {@code audit-1} ... {@code audit-n}, with nested fields of every JSON kind. */
  static List<AuditEvent> events(int n) {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      Map<String, Object> resource = new LinkedHashMap<>();
      resource.put("kind", "File");
      resource.put("path", "/work/src/" + i + ".java");
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("command", "git push --force");
      summary.put("programs", List.of("git"));
      summary.put("opaque", false);
      summary.put("ratio", 0.5);
      events.add(
          new AuditEvent(
              AuditEvent.SCHEMA,
              "audit-" + i,
              Instant.parse("2026-12-03T00:00:00.123456789Z").plusSeconds(i),
              i % 2 == 0 ? AuditEventType.DENIED : AuditEventType.ATTEMPTED,
              "toolu_" + i,
              "claude-code-hook",
              "team-a/coder",
              "team-a",
              "agent-7",
              "alice",
              null,
              "Bash",
              resource,
              "sha256:" + i,
              summary,
              i % 2 == 0 ? "deny" : null,
              null,
              i % 2 == 0 ? List.of("RuleDenied") : null,
              i % 2 == 0 ? List.of("team-a/no-force-push/deny-force") : null,
              "rev-1",
              null,
              i % 2 == 0 ? 1_234L : null,
              null,
              null,
              i % 5 == 0 ? new AuditEvent.Traffic(10, 20_000_000_000L, 30, "eof") : null));
    }
    return events;
  }

  static AuditExport export(
      URI endpoint,
      Protocol protocol,
      int batch,
      Duration flush,
      int buffer,
      Duration timeout,
      int attempts,
      Map<String, String> headers) {
    return new AuditExport(
        Optional.of(
            new AuditExportSettings(endpoint, protocol, batch, flush, buffer, timeout, attempts)),
        headers);
  }
}
