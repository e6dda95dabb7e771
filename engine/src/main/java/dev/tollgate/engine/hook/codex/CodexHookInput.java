package dev.tollgate.engine.hook.codex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A Codex hook input (PreToolUse, PostToolUse), reduced to what Tollgate uses, its tool call mapped
 * onto canonical calls: usually one, one per file for an {@code apply_patch}.
 *
 * @param cwd where the call runs: the session's cwd, or the tool's own {@code workdir} resolved
 *     against it where the input carries one
 * @param clientTool the tool name as Codex gave it
 * @param agentId the sub-agent that made the call (Codex's {@code agent_id}), else null
 * @param agentType the sub-agent's type (Codex's {@code agent_type}), else null
 * @param toolResponse what the tool returned, on PostToolUse, else null
 */
public record CodexHookInput(
    String hookEventName,
    String sessionId,
    String turnId,
    String cwd,
    String permissionMode,
    String clientTool,
    String toolUseId,
    String agentId,
    String agentType,
    List<CanonicalCall> calls,
    JsonNode toolResponse) {

  public static final String PRE_TOOL_USE = "PreToolUse";
  public static final String POST_TOOL_USE = "PostToolUse";

  /** What {@code context.runtime} says for a call from Codex. */
  public static final String RUNTIME = "Codex";

  public CodexHookInput {
    calls = List.copyOf(calls);
  }
}
