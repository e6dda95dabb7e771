package dev.tollgate.agenttests.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local Anthropic Messages API that plays a script: one tool call per turn, then a text answer
 * that ends the turn. Claude Code reaches it through {@code ANTHROPIC_BASE_URL}.
 *
 * <p>The next step is chosen from the conversation itself (the number of {@code tool_result} blocks
 * the agent sent so far), not from a request counter, so a retried request or a side request
 * without tools (a title, a summary) cannot shift the script. Every {@code tool_result} is recorded
 * once, keyed by {@code tool_use_id}: what the model was told about each call.
 */
public final class ScriptedModel implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String FINAL_TEXT = "Done.";

  private final List<ToolCall> script;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final Map<String, ToolResult> results =
      Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<String> unknownRequests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> served = Collections.synchronizedList(new ArrayList<>());

  public ScriptedModel(List<ToolCall> script) throws IOException {
    this(script, InetAddress.getLoopbackAddress());
  }

  /**
   * Served on {@code address} instead of loopback: the node's bridge address, for an agent in a pod
   * of a local cluster.
   */
  public ScriptedModel(List<ToolCall> script, InetAddress address) throws IOException {
    this.script = List.copyOf(script);
    this.server = HttpServer.create(new InetSocketAddress(address, 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  public String baseUrl() {
    return "http://"
        + server.getAddress().getAddress().getHostAddress()
        + ":"
        + server.getAddress().getPort();
  }

  /** The tool results the agent sent, in the order it first sent them. */
  public List<ToolResult> toolResults() {
    synchronized (results) {
      return List.copyOf(results.values());
    }
  }

  public ToolResult resultFor(String toolUseId) {
    ToolResult result = results.get(toolUseId);
    if (result == null) {
      throw new AssertionError(
          "the model never received a tool_result for " + toolUseId + "; got " + results.keySet());
    }
    return result;
  }

  /** Ids of the tool calls handed to the agent, in order. */
  public List<String> servedCalls() {
    return List.copyOf(served);
  }

  /**
   * Requests this model does not implement (method and path), answered 404: worth a look when
   * Claude Code changes.
   */
  public List<String> unknownRequests() {
    return List.copyOf(unknownRequests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (method.equals("POST") && path.equals("/v1/messages/count_tokens")) {
        sendJson(exchange, JSON.createObjectNode().put("input_tokens", 100));
      } else if (method.equals("POST") && path.equals("/v1/messages")) {
        messages(exchange, JSON.readTree(body));
      } else if (method.equals("HEAD") || (method.equals("GET") && path.equals("/"))) {
        // Claude Code probes the base URL for reachability before the first request.
        exchange.sendResponseHeaders(200, -1);
      } else {
        unknownRequests.add(method + " " + exchange.getRequestURI());
        exchange.sendResponseHeaders(404, -1);
      }
    } catch (RuntimeException e) {
      unknownRequests.add("error: " + e);
      throw e;
    }
  }

  private void messages(HttpExchange exchange, JsonNode request) throws IOException {
    int answered = recordToolResults(request.path("messages"));
    boolean hasTools = request.path("tools").size() > 0;
    ObjectNode message;
    if (hasTools && answered < script.size()) {
      ToolCall call = script.get(answered);
      call.beforeServing().run();
      served.add(call.id());
      message = message(request, toolUse(call), "tool_use");
    } else {
      message =
          message(
              request,
              JSON.createObjectNode().put("type", "text").put("text", FINAL_TEXT),
              "end_turn");
    }
    if (request.path("stream").asBoolean(false)) {
      stream(exchange, message);
    } else {
      sendJson(exchange, message);
    }
  }

  /** Records every tool_result of the conversation; returns how many there are. */
  private int recordToolResults(JsonNode messages) {
    int count = 0;
    for (JsonNode message : messages) {
      for (JsonNode block : message.path("content")) {
        if (block.path("type").asText().equals("tool_result")) {
          count++;
          String id = block.path("tool_use_id").asText();
          results.putIfAbsent(
              id,
              new ToolResult(
                  id, text(block.path("content")), block.path("is_error").asBoolean(false)));
        }
      }
    }
    return count;
  }

  /** A tool_result's content is a string or a list of text blocks. */
  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode block : content) {
      text.append(block.path("text").asText());
    }
    return text.toString();
  }

  private static ObjectNode toolUse(ToolCall call) {
    ObjectNode block =
        JSON.createObjectNode()
            .put("type", "tool_use")
            .put("id", call.id())
            .put("name", call.name());
    block.set("input", call.input());
    return block;
  }

  private static ObjectNode message(JsonNode request, ObjectNode block, String stopReason) {
    ObjectNode message =
        JSON.createObjectNode()
            .put("id", "msg_" + Long.toHexString(System.nanoTime()))
            .put("type", "message")
            .put("role", "assistant")
            .put("model", request.path("model").asText("claude-scripted"));
    message.putArray("content").add(block);
    message.put("stop_reason", stopReason);
    message.putNull("stop_sequence");
    message.putObject("usage").put("input_tokens", 100).put("output_tokens", 10);
    return message;
  }

  /**
   * The server-sent events of a streamed answer: the content blocks arrive empty and are filled by
   * deltas, a tool_use input as {@code input_json_delta} fragments (split in two here, as the real
   * API streams it in pieces).
   */
  private static void stream(HttpExchange exchange, ObjectNode message) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    ObjectNode start = message.deepCopy();
    ArrayNode blocks = (ArrayNode) start.remove("content");
    start.putArray("content");
    String stopReason = start.remove("stop_reason").asText();
    start.putNull("stop_reason");
    event(
        out,
        "message_start",
        JSON.createObjectNode().put("type", "message_start").set("message", start));
    for (int index = 0; index < blocks.size(); index++) {
      JsonNode block = blocks.get(index);
      ObjectNode empty = block.deepCopy();
      if (block.path("type").asText().equals("tool_use")) {
        empty.putObject("input");
        String json = block.path("input").toString();
        int half = json.length() / 2;
        event(out, "content_block_start", blockStart(index, empty));
        event(
            out,
            "content_block_delta",
            delta(index, "input_json_delta", "partial_json", json.substring(0, half)));
        event(
            out,
            "content_block_delta",
            delta(index, "input_json_delta", "partial_json", json.substring(half)));
      } else {
        empty.put("text", "");
        event(out, "content_block_start", blockStart(index, empty));
        event(
            out,
            "content_block_delta",
            delta(index, "text_delta", "text", block.path("text").asText()));
      }
      event(
          out,
          "content_block_stop",
          JSON.createObjectNode().put("type", "content_block_stop").put("index", index));
    }
    ObjectNode end = JSON.createObjectNode().put("type", "message_delta");
    end.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
    end.putObject("usage").put("output_tokens", 10);
    event(out, "message_delta", end);
    event(out, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
  }

  private static ObjectNode blockStart(int index, JsonNode block) {
    ObjectNode start =
        JSON.createObjectNode().put("type", "content_block_start").put("index", index);
    start.set("content_block", block);
    return start;
  }

  private static ObjectNode delta(int index, String type, String field, String value) {
    ObjectNode delta =
        JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
    delta.putObject("delta").put("type", type).put(field, value);
    return delta;
  }

  private static void event(OutputStream out, String name, JsonNode data) throws IOException {
    out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void sendJson(HttpExchange exchange, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
