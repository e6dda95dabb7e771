package dev.tollgate.agenttests.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * One tool call the scripted model asks for: a {@code tool_use} block. {@code beforeServing} runs
 * on the model's thread just before the call is handed to the agent, which is how a test changes
 * the world mid-session (stops the sidecar, swaps the bundle) at a known point.
 */
public record ToolCall(String id, String name, JsonNode input, Runnable beforeServing) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static ToolCall of(String id, String name, Map<String, ?> input) {
    return new ToolCall(id, name, JSON.valueToTree(input), () -> {});
  }

  public ToolCall before(Runnable action) {
    return new ToolCall(id, name, input, action);
  }
}
