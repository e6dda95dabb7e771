package dev.tollgate.engine.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.engine.model.FieldRules;
import java.util.Set;

/**
 * Reads and checks a Claude Code hook input; anything unusable is a {@link BadHookInputException}.
 */
public final class HookInputParser {

  /** The hook events Tollgate handles. */
  public static final Set<String> EVENTS =
      Set.of(HookInput.PRE_TOOL_USE, HookInput.POST_TOOL_USE, HookInput.POST_TOOL_USE_FAILURE);

  private HookInputParser() {}

  public static HookInput parse(JsonNode body) throws BadHookInputException {
    if (body == null || !body.isObject()) {
      throw new BadHookInputException("the hook input must be a JSON object");
    }
    String event = optionalText(body, "hook_event_name");
    if (event == null) {
      throw new BadHookInputException("hook_event_name is required");
    }
    if (!EVENTS.contains(event)) {
      throw new BadHookInputException(
          "unsupported hook_event_name '"
              + event
              + "' (expected one of PreToolUse, PostToolUse, PostToolUseFailure)");
    }
    String tool = optionalText(body, "tool_name");
    if (tool == null || tool.isBlank()) {
      throw new BadHookInputException("tool_name is required");
    }
    if (tool.length() > FieldRules.MAX_TOOL_NAME_LENGTH) {
      throw new BadHookInputException(
          "tool_name is longer than " + FieldRules.MAX_TOOL_NAME_LENGTH + " characters");
    }
    JsonNode input = body.get("tool_input");
    if (input == null || input.isNull()) {
      input = JsonNodeFactory.instance.objectNode();
    } else if (!input.isObject()) {
      throw new BadHookInputException("tool_input must be a JSON object");
    }
    JsonNode response = body.get("tool_response");
    JsonNode error = body.get("error");
    return new HookInput(
        event,
        optionalText(body, "session_id"),
        optionalText(body, "transcript_path"),
        optionalText(body, "cwd"),
        optionalText(body, "permission_mode"),
        tool,
        input,
        optionalText(body, "tool_use_id"),
        response == null || response.isNull() ? null : response,
        error == null || error.isNull()
            ? null
            : error.isTextual() ? error.asText() : error.toString());
  }

  private static String optionalText(JsonNode body, String field) throws BadHookInputException {
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
