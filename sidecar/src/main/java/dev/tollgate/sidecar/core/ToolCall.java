package dev.tollgate.sidecar.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.decision.ArgsDigest;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One tool call as it reached the sidecar, whichever door it came through. Immutable: a held call
 * is completed, and audited, on another thread than the one that built it.
 *
 * <p>The argument digest is computed once, when the call is made, and shared by every audit event
 * of the call. The redacted arguments and resource are computed on first use (redaction dominated a
 * decision's cost) and published through volatile fields: two threads racing may both redact, and
 * get the same result, but neither ever sees a half-built one.
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
  private final JsonNode annotations;
  private final String argsDigest;
  private final Agent agent;
  private volatile JsonNode redactedArgs;
  private volatile Map<String, Object> redactedResource;

  public ToolCall(
      String correlationId,
      String source,
      String sessionId,
      String tool,
      JsonNode args,
      String cwd) {
    this(
        correlationId,
        source,
        sessionId == null ? "" : sessionId,
        tool,
        args,
        cwd == null || !cwd.startsWith("/") ? "/" : cwd,
        null,
        args == null ? null : ArgsDigest.of(args),
        Agent.UNKNOWN);
  }

  /**
   * Which client made the call, and which of its sub-agents, as the door that received it knows.
   *
   * @param runtime {@code ClaudeCode}, {@code Codex}, …; null when the door cannot tell
   * @param agentId the sub-agent, or null
   * @param agentType the sub-agent's type, or null
   */
  public record Agent(String runtime, String agentId, String agentType) {
    static final Agent UNKNOWN = new Agent(null, null, null);
  }

  private ToolCall(
      String correlationId,
      String source,
      String sessionId,
      String tool,
      JsonNode args,
      String cwd,
      JsonNode annotations,
      String argsDigest,
      Agent agent) {
    this.correlationId = correlationId;
    this.source = source;
    this.sessionId = sessionId;
    this.tool = tool;
    this.args = args;
    this.cwd = cwd;
    this.annotations = annotations;
    this.argsDigest = argsDigest;
    this.agent = agent;
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

  /**
   * This call with {@link #annotations()} set; the digest is kept, the redactions are not (they
   * depend on them).
   */
  public ToolCall withAnnotations(JsonNode toolAnnotations) {
    return new ToolCall(
        correlationId, source, sessionId, tool, args, cwd, toolAnnotations, argsDigest, agent);
  }

  /** This call with the client and sub-agent that made it. */
  public ToolCall withAgent(String runtime, String agentId, String agentType) {
    return new ToolCall(
        correlationId,
        source,
        sessionId,
        tool,
        args,
        cwd,
        annotations,
        argsDigest,
        new Agent(runtime, agentId, agentType));
  }

  /** The client that made the call, or null when the door cannot tell. */
  public String runtime() {
    return agent.runtime();
  }

  /** The sub-agent that made the call, or null. */
  public String agentId() {
    return agent.agentId();
  }

  /** The sub-agent's type, or null. */
  public String agentType() {
    return agent.agentType();
  }

  /** The redacted tool input, computed once per call. */
  public JsonNode redactedArgs(Supplier<JsonNode> redact) {
    JsonNode redacted = redactedArgs;
    if (redacted == null) {
      redacted = redact.get();
      redactedArgs = redacted;
    }
    return redacted;
  }

  /** The redacted resource, computed once per call. */
  public Map<String, Object> redactedResource(Supplier<Map<String, Object>> redact) {
    Map<String, Object> redacted = redactedResource;
    if (redacted == null) {
      redacted = redact.get();
      redactedResource = redacted;
    }
    return redacted;
  }

  /** The digest of {@link #args()}, or null without them. */
  public String argsDigest() {
    return argsDigest;
  }
}
