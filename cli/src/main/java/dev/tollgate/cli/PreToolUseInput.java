package dev.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.engine.hook.BadHookInputException;
import dev.tollgate.engine.hook.HookInput;
import dev.tollgate.engine.hook.HookInputParser;

/**
 * A Claude Code hook input that the CLI decides on: PreToolUse only, the event the sidecar decides.
 */
final class PreToolUseInput {

  private PreToolUseInput() {}

  /**
   * Parses the input; a missing {@code hook_event_name} means PreToolUse, to keep hand-written
   * inputs short.
   */
  static HookInput parse(JsonNode input) throws BadHookInputException {
    if (input instanceof ObjectNode object && !object.has("hook_event_name")) {
      input = object.deepCopy().put("hook_event_name", HookInput.PRE_TOOL_USE);
    }
    HookInput hook = HookInputParser.parse(input);
    if (!hook.hookEventName().equals(HookInput.PRE_TOOL_USE)) {
      throw new BadHookInputException(
          "hook_event_name is '"
              + hook.hookEventName()
              + "': only PreToolUse calls are decided (PostToolUse events only record what ran)");
    }
    return hook;
  }
}
