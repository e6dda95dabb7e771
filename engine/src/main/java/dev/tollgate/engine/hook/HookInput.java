package dev.tollgate.engine.hook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.decision.DecisionRequest;
import dev.tollgate.engine.decision.RequestContext;
import java.time.Instant;
import java.util.List;

/**
 * A Claude Code hook input (PreToolUse, PostToolUse, PostToolUseFailure), reduced to what Tollgate
 * uses. Fields Claude Code adds over time are ignored by the parser.
 *
 * @param toolResponse the tool's result on PostToolUse, else null
 * @param error why the tool failed, on PostToolUseFailure, else null
 */
public record HookInput(
    String hookEventName,
    String sessionId,
    String transcriptPath,
    String cwd,
    String permissionMode,
    String toolName,
    JsonNode toolInput,
    String toolUseId,
    JsonNode toolResponse,
    String error) {

  public static final String PRE_TOOL_USE = "PreToolUse";
  public static final String POST_TOOL_USE = "PostToolUse";
  public static final String POST_TOOL_USE_FAILURE = "PostToolUseFailure";

  /** The decision request for this call, with what the decision point knows about its pod. */
  public DecisionRequest toRequest(
      String principal,
      List<String> groups,
      String pod,
      String namespace,
      String home,
      Instant now) {
    RequestContext context =
        new RequestContext(cwd, home, sessionId, permissionMode, pod, namespace, now);
    return new DecisionRequest(toolName, toolInput, principal, groups, context);
  }
}
