package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.engine.model.McpToolName;

/**
 * A request the gateway decides as a call, in the decision core's terms: the agent-side tool name
 * and the arguments policies see.
 *
 * <ul>
 *   <li>{@code tools/call}: {@code mcp__<server>__<name>}, args = {@code arguments};
 *   <li>{@code resources/read} and {@code resources/subscribe}: {@code mcp__<server>__resource},
 *       args = {@code {uri}} (the derived {@code resource} adds the URI's parts);
 *   <li>{@code prompts/get}: {@code mcp__<server>__prompt}, args = {@code {name, arguments}}.
 * </ul>
 *
 * @param method the JSON-RPC method
 * @param target what the request names upstream: the tool, the URI or the prompt; null when absent
 * @param tool the agent-side tool name decided; null when the request names no target
 * @param args the arguments decided
 * @param problem why the request cannot be decided (it is refused), or null
 */
record McpCallRequest(String method, String target, String tool, JsonNode args, String problem) {

  static final String TOOLS_CALL = "tools/call";

  static McpCallRequest of(String server, String method, JsonNode params) {
    return switch (method) {
      case TOOLS_CALL -> toolCall(server, params);
      case "prompts/get" -> prompt(server, params);
      default -> resource(server, method, params);
    };
  }

  boolean isTool() {
    return method.equals(TOOLS_CALL);
  }

  boolean isResource() {
    return method.startsWith("resources/");
  }

  private static McpCallRequest toolCall(String server, JsonNode params) {
    String name = text(params, "name");
    JsonNode arguments =
        params.has("arguments") ? params.get("arguments") : JsonRpc.JSON.createObjectNode();
    String tool = name == null ? null : McpToolName.agentSide(server, name);
    if (name == null) {
      return new McpCallRequest(
          TOOLS_CALL, null, null, objectOrNull(arguments), "tools/call without a tool name");
    }
    if (!arguments.isObject()) {
      return new McpCallRequest(
          TOOLS_CALL, name, tool, null, "tools/call arguments must be a JSON object");
    }
    return new McpCallRequest(TOOLS_CALL, name, tool, arguments, null);
  }

  private static McpCallRequest resource(String server, String method, JsonNode params) {
    String uri = text(params, "uri");
    String tool = McpToolName.agentSide(server, McpToolName.RESOURCE);
    ObjectNode args = JsonRpc.JSON.createObjectNode();
    if (uri == null) {
      return new McpCallRequest(method, null, tool, args, method + " without a uri");
    }
    args.put("uri", uri);
    return new McpCallRequest(method, uri, tool, args, null);
  }

  private static McpCallRequest prompt(String server, JsonNode params) {
    String name = text(params, "name");
    JsonNode arguments =
        params.has("arguments") ? params.get("arguments") : JsonRpc.JSON.createObjectNode();
    String tool = McpToolName.agentSide(server, McpToolName.PROMPT);
    ObjectNode args = JsonRpc.JSON.createObjectNode();
    if (name != null) {
      args.put("name", name);
    }
    args.set("arguments", arguments);
    String problem =
        name == null
            ? "prompts/get without a prompt name"
            : !arguments.isObject() ? "prompts/get arguments must be a JSON object" : null;
    return new McpCallRequest("prompts/get", name, tool, args, problem);
  }

  /** A non-empty string member, or null. */
  private static String text(JsonNode params, String field) {
    JsonNode value = params.path(field);
    return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
  }

  private static JsonNode objectOrNull(JsonNode node) {
    return node.isObject() ? node : null;
  }
}
