package dev.tollgate.sidecar.authz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.decision.ArgsDigest;
import dev.tollgate.sidecar.audit.AuditEvent.ApprovalRef;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One tool call as it reached the sidecar, whichever door it came through. The argument digest
 * is computed once and shared by every audit event of the call.
 *
 * @param correlationId tool_use_id (hooks) or request id; never empty
 * @param source {@code claude-code-hook}, {@code authzen} or {@code mcp}
 * @param sessionId the agent session, or empty
 */
public final class ToolCall {

  private final String correlationId;
  private final String source;
  private final String sessionId;
  private final String tool;
  private final JsonNode args;
  private final String cwd;
  private String argsDigest;
  private JsonNode redactedArgs;
  private Map<String, Object> redactedResource;
  private volatile ApprovalRef approval;
  private volatile JsonNode annotations;

  public ToolCall(String correlationId, String source, String sessionId, String tool, JsonNode args, String cwd) {
    this.correlationId = correlationId;
    this.source = source;
    this.sessionId = sessionId == null ? "" : sessionId;
    this.tool = tool;
    this.args = args;
    this.cwd = cwd == null || !cwd.startsWith("/") ? "/" : cwd;
  }

  /** The agent's working directory ("/" when unknown). */
  public String cwd() {
    return cwd;
  }

  public String correlationId() {
    return correlationId;
  }

  public String source() {
    return source;
  }

  public String sessionId() {
    return sessionId;
  }

  /** The tool name; null when the request was too broken to name one. */
  public String tool() {
    return tool;
  }

  /** The tool input; null when the request was too broken to carry one. */
  public JsonNode args() {
    return args;
  }

  /**
   * The MCP tool's annotations as the upstream last listed them (the MCP gateway sets them before
   * deciding), visible to policies as {@code resource.annotations}; null when unknown.
   */
  public JsonNode annotations() {
    return annotations;
  }

  /** Sets {@link #annotations()}; returns this call. Before the call is decided or audited. */
  public ToolCall withAnnotations(JsonNode toolAnnotations) {
    this.annotations = toolAnnotations;
    return this;
  }

  /** The redacted tool input, computed once per call. */
  public JsonNode redactedArgs(Supplier<JsonNode> redact) {
    if (redactedArgs == null) {
      redactedArgs = redact.get();
    }
    return redactedArgs;
  }

  /** The redacted resource, computed once per call. */
  public Map<String, Object> redactedResource(Supplier<Map<String, Object>> redact) {
    if (redactedResource == null) {
      redactedResource = redact.get();
    }
    return redactedResource;
  }

  /** The approval that holds, allowed or refused this call; null when none did. */
  public ApprovalRef approval() {
    return approval;
  }

  void approval(ApprovalRef approval) {
    this.approval = approval;
  }

  public String argsDigest() {
    if (argsDigest == null && args != null) {
      argsDigest = ArgsDigest.of(args);
    }
    return argsDigest;
  }
}
