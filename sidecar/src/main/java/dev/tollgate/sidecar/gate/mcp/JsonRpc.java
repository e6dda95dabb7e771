package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.engine.hook.RequestJson;

/** JSON-RPC 2.0 as MCP uses it: classifying messages and building error responses. */
final class JsonRpc {

  static final ObjectMapper JSON = RequestJson.MAPPER;

  static final int PARSE_ERROR = -32700;
  static final int INVALID_REQUEST = -32600;
  static final int METHOD_NOT_FOUND = -32601;
  static final int INVALID_PARAMS = -32602;
  static final int INTERNAL_ERROR = -32603;

  /** MCP 2025-06-18 and 2025-11-25: {@code resources/read} of a URI the server does not have. */
  static final int RESOURCE_NOT_FOUND = -32002;

  /** MCP 2026-07-28: HTTP headers do not match the body. */
  static final int HEADER_MISMATCH = -32020;

  /** MCP 2026-07-28: the requested protocol version is not supported. */
  static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

  private JsonRpc() {}

  /** A request: a method and an id (a string or a number). */
  static boolean isRequest(JsonNode message) {
    return message.isObject() && message.path("method").isTextual() && validId(message.get("id"));
  }

  static boolean isNotification(JsonNode message) {
    return message.isObject() && message.path("method").isTextual() && !message.has("id");
  }

  /** A response: an id, a result or an error, no method. */
  static boolean isResponse(JsonNode message) {
    return message.isObject()
        && !message.has("method")
        && message.has("id")
        && (message.has("result") || message.has("error"));
  }

  /**
   * Well-formed enough to act on: an object with {@code "jsonrpc": "2.0"} that is one of the three
   * kinds.
   */
  static boolean isWellFormed(JsonNode message) {
    return message.isObject()
        && "2.0".equals(message.path("jsonrpc").asText(null))
        && (isRequest(message) || isNotification(message) || isResponse(message));
  }

  static boolean validId(JsonNode id) {
    return id != null && (id.isTextual() || id.isIntegralNumber());
  }

  static String method(JsonNode message) {
    return message.path("method").asText("");
  }

  /** A key telling ids apart exactly ({@code 1} and {@code "1"} differ). */
  static String idKey(JsonNode id) {
    return id == null ? "null" : id.toString();
  }

  /** The id as the audit's correlation id: its text. */
  static String idText(JsonNode id) {
    return id == null || id.isNull() ? "" : id.asText();
  }

  static ObjectNode error(JsonNode id, int code, String message) {
    return error(id, code, message, null);
  }

  static ObjectNode error(JsonNode id, int code, String message, JsonNode data) {
    ObjectNode response = JSON.createObjectNode();
    response.put("jsonrpc", "2.0");
    if (id == null) {
      response.putNull("id");
    } else {
      response.set("id", id);
    }
    ObjectNode error = response.putObject("error");
    error.put("code", code);
    error.put("message", message);
    if (data != null) {
      error.set("data", data);
    }
    return response;
  }

  static ObjectNode result(JsonNode id, JsonNode result) {
    ObjectNode response = JSON.createObjectNode();
    response.put("jsonrpc", "2.0");
    response.set("id", id);
    response.set("result", result);
    return response;
  }

  /** A CallToolResult with {@code isError: true} and one text block. */
  static ObjectNode toolError(JsonNode id, String text) {
    ObjectNode result = JSON.createObjectNode();
    result.putArray("content").addObject().put("type", "text").put("text", text);
    result.put("isError", true);
    return result(id, result);
  }
}
