package dev.tollgate.sidecar.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One audit record, schema {@value #SCHEMA} (published as {@code audit-event.schema.json}).
 * Arguments never appear raw: only their digest and a redacted summary.
 *
 * @param correlationId the tool_use_id (hooks) or request id (AuthZEN, MCP) tying events of one
 *     call
 * @param source which door the call came through: {@code claude-code-hook}, {@code codex-hook},
 *     {@code authzen}, {@code mcp}
 * @param resource the derived resource, redacted
 * @param argsSummary the tool input, redacted and truncated
 * @param decision allow, deny or approval_required; null for attempted, executed and failed events
 * @param wouldDecide in Audit mode, what Enforce would have decided; else null
 * @param message the decision's explanation, or the failure's
 * @param latencyMicros time to decide; null where nothing was decided
 * @param approval the ToolCallApproval that held, allowed or refused the call; null when none did
 * @param unmatched on an executed or failed event: true when no call with this correlation id was
 *     allowed by this sidecar (the report is only the reporter's word); else null
 * @param traffic on a {@code closed} event (egress gate): what went through the connection; else
 *     null
 */
public record AuditEvent(
    String schema,
    String id,
    Instant time,
    AuditEventType type,
    String correlationId,
    String source,
    String identity,
    String namespace,
    String pod,
    String principal,
    String sessionId,
    String tool,
    Map<String, Object> resource,
    String argsDigest,
    Object argsSummary,
    String decision,
    String wouldDecide,
    List<String> reasons,
    List<String> rules,
    String bundleRevision,
    String message,
    Long latencyMicros,
    ApprovalRef approval,
    Boolean unmatched,
    Traffic traffic) {

  public static final String SCHEMA = "tollgate.dev/audit/v1";

  /**
   * What went through one connection of the egress gate.
   *
   * @param bytesSent from the agent to the destination
   * @param bytesReceived from the destination to the agent
   * @param durationMillis from the decision to the close
   * @param end why it closed: {@code eof}, {@code idle-timeout}, {@code duration-limit}, {@code
   *     byte-limit}, {@code error}, {@code shutdown}, or why it never opened ({@code
   *     resolve-failed}, {@code connect-failed}, {@code sni-mismatch}, {@code not-tls})
   */
  public record Traffic(long bytesSent, long bytesReceived, long durationMillis, String end) {}

  /**
   * Which approval a record is about, and, once a human decided it, who did, why and when.
   *
   * @param name {@code namespace/name} of the ToolCallApproval
   * @param decidedBy the authenticated user the webhook stamped; null while pending
   * @param reason the human's reason; null when none was given
   * @param decidedAt when the decision was observed; null while pending
   */
  public record ApprovalRef(String name, String decidedBy, String reason, Instant decidedAt) {}
}
