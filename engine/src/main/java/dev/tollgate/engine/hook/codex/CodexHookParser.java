package dev.tollgate.engine.hook.codex;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.hook.BadHookInputException;
import dev.tollgate.engine.model.FieldRules;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads and checks a Codex hook input (the JSON Codex writes to a command hook's stdin) and maps
 * its tool call onto canonical calls; anything unusable is a {@link BadHookInputException}, which
 * the caller answers with a deny. Fields Codex adds over time ({@code model}, {@code turn_id},
 * {@code transcript_path}, …) are ignored unless used here.
 */
public final class CodexHookParser {

  static final Set<String> EVENTS =
      Set.of(CodexHookInput.PRE_TOOL_USE, CodexHookInput.POST_TOOL_USE);

  private CodexHookParser() {}

  public static CodexHookInput parse(JsonNode body) throws BadHookInputException {
    if (body == null || !body.isObject()) {
      throw new BadHookInputException("the hook input must be a JSON object");
    }
    String event = text(body, "hook_event_name");
    if (event == null) {
      throw new BadHookInputException("hook_event_name is required");
    }
    if (!EVENTS.contains(event)) {
      throw new BadHookInputException(
          "unsupported hook_event_name '" + event + "' (expected PreToolUse or PostToolUse)");
    }
    String tool = text(body, "tool_name");
    if (tool == null || tool.isBlank()) {
      throw new BadHookInputException("tool_name is required");
    }
    if (tool.length() > FieldRules.MAX_TOOL_NAME_LENGTH) {
      throw new BadHookInputException(
          "tool_name is longer than " + FieldRules.MAX_TOOL_NAME_LENGTH + " characters");
    }
    JsonNode input = body.get("tool_input");
    if (input == null || !input.isObject()) {
      throw new BadHookInputException("tool_input must be a JSON object");
    }
    String cwd = text(body, "cwd");
    JsonNode response = body.get("tool_response");
    return new CodexHookInput(
        event,
        text(body, "session_id"),
        text(body, "turn_id"),
        workdir(cwd, input),
        text(body, "permission_mode"),
        tool,
        text(body, "tool_use_id"),
        text(body, "agent_id"),
        text(body, "agent_type"),
        CodexToolMapper.map(tool, input),
        response == null || response.isNull() ? null : response);
  }

  /**
   * The directory the call runs in: a shell tool's {@code workdir} when the input carries one (the
   * command's relative paths resolve there, not in the session's cwd), else the cwd.
   */
  private static String workdir(String cwd, JsonNode input) throws BadHookInputException {
    JsonNode workdir = input.get("workdir");
    if (workdir == null || workdir.isNull()) {
      return cwd;
    }
    if (!workdir.isTextual()) {
      throw new BadHookInputException("tool_input.workdir must be a string");
    }
    String dir = workdir.asText();
    if (dir.startsWith("/")) {
      return Path.of(dir).normalize().toString();
    }
    if (cwd == null || !cwd.startsWith("/")) {
      throw new BadHookInputException("a relative tool_input.workdir needs an absolute cwd");
    }
    return Path.of(cwd).resolve(dir).normalize().toString();
  }

  private static String text(JsonNode body, String field) throws BadHookInputException {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new BadHookInputException(field + " must be a string");
    }
    return value.asText();
  }
}
