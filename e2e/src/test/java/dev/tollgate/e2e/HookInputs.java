package dev.tollgate.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Hook inputs shaped like the ones Claude Code 2.1 sends (docs/design.md §4.1): the documented
 * fields plus those a parser must ignore ({@code prompt_id}, {@code effort}, {@code duration_ms}).
 */
final class HookInputs {

  static final String SESSION = "5b0e7c1d-2f4a-4c8e-9d3b-6a1f0e2d4c57";
  static final String PROMPT = "9e8d7c6b-5a49-4382-a716-0f1e2d3c4b5a";

  private HookInputs() {}

  static String pre(String toolUseId, String tool, Map<String, Object> toolInput) {
    return base("PreToolUse", toolUseId, tool, toolInput).toString();
  }

  static String post(
      String toolUseId,
      String tool,
      Map<String, Object> toolInput,
      Map<String, Object> toolResponse) {
    ObjectNode input = base("PostToolUse", toolUseId, tool, toolInput);
    input.set("tool_response", SidecarProcess.JSON.valueToTree(toolResponse));
    input.put("duration_ms", 1_234);
    return input.toString();
  }

  private static ObjectNode base(
      String event, String toolUseId, String tool, Map<String, Object> toolInput) {
    ObjectNode input = SidecarProcess.JSON.createObjectNode();
    input.put("session_id", SESSION);
    input.put("transcript_path", "/root/.claude/projects/-workspace/" + SESSION + ".jsonl");
    input.put("cwd", "/workspace");
    input.put("permission_mode", "default");
    input.put("hook_event_name", event);
    input.put("tool_name", tool);
    input.set("tool_input", SidecarProcess.JSON.valueToTree(toolInput));
    input.put("tool_use_id", toolUseId);
    input.put("prompt_id", PROMPT);
    input.putObject("effort").put("level", "medium");
    return input;
  }
}
