package dev.tollgate.agenttests.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local OpenAI Responses API ({@code POST /v1/responses}, streamed) that plays a script: one
 * {@code function_call} per turn, then an assistant message that ends the turn. The Codex CLI
 * reaches it as a model provider with {@code wire_api = "responses"}.
 *
 * <p>As {@link ScriptedModel} does, the next step is chosen from the conversation itself (the
 * number of {@code function_call_output} items Codex sent back), and every output is recorded once
 * by {@code call_id}: what the model was told about each call. A string argument {@code "$SESSION"}
 * is replaced by the session id the last output reported ("Process running with session ID N"), so
 * a script can write into a command it started.
 */
public final class ResponsesModel implements AutoCloseable {

  public static final String SESSION = "$SESSION";
  static final String FINAL_TEXT = "Done.";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SESSION_ID = Pattern.compile("session ID (\\d+)");
  private static final Pattern MCP_TOOL = Pattern.compile("(mcp__[A-Za-z0-9-]+)__(.+)");

  private final List<ToolCall> script;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final Map<String, ToolResult> results =
      Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<String> unknownRequests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> served = Collections.synchronizedList(new ArrayList<>());
  private final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());

  public ResponsesModel(List<ToolCall> script) throws IOException {
    this.script = List.copyOf(script);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  /** The base URL a Codex model provider names ({@code …/v1}). */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** What each call returned to the model, in the order Codex first sent it. */
  public List<ToolResult> toolResults() {
    synchronized (results) {
      return List.copyOf(results.values());
    }
  }

  public ToolResult resultFor(String callId) {
    ToolResult result = results.get(callId);
    if (result == null) {
      throw new AssertionError(
          "the model never received an output for " + callId + "; got " + results.keySet());
    }
    return result;
  }

  /** Ids of the calls handed to the agent, in order. */
  public List<String> servedCalls() {
    return List.copyOf(served);
  }

  /** Every /v1/responses request body, in order (the tools Codex offered, the history). */
  public List<JsonNode> requests() {
    return List.copyOf(requests);
  }

  /** Requests this model does not implement, answered 404. */
  public List<String> unknownRequests() {
    return List.copyOf(unknownRequests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (method.equals("POST") && path.equals("/v1/responses")) {
        respond(exchange, JSON.readTree(body));
      } else {
        // Codex lists models (GET /v1/models) at start: a 404 makes it use its built-in metadata.
        unknownRequests.add(method + " " + exchange.getRequestURI());
        exchange.sendResponseHeaders(404, -1);
      }
    } catch (RuntimeException e) {
      unknownRequests.add("error: " + e);
      throw e;
    }
  }

  private void respond(HttpExchange exchange, JsonNode request) throws IOException {
    requests.add(request);
    String lastOutput = "";
    int answered = 0;
    for (JsonNode item : request.path("input")) {
      if (item.path("type").asText().equals("function_call_output")) {
        answered++;
        String id = item.path("call_id").asText();
        lastOutput = text(item.path("output"));
        results.putIfAbsent(id, new ToolResult(id, lastOutput, false));
      }
    }
    String responseId = "resp_" + Long.toHexString(System.nanoTime());
    ObjectNode item;
    if (answered < script.size()) {
      ToolCall call = script.get(answered);
      call.beforeServing().run();
      served.add(call.id());
      item = JSON.createObjectNode();
      item.put("type", "function_call").put("id", "fc_" + call.id()).put("call_id", call.id());
      Matcher mcp = MCP_TOOL.matcher(call.name());
      if (mcp.matches()) {
        // Codex offers an MCP server's tools as a namespace (mcp__<server>) of functions.
        item.put("namespace", mcp.group(1)).put("name", mcp.group(2));
      } else {
        item.put("name", call.name());
      }
      item.put("arguments", withSession(call.input(), lastOutput).toString());
    } else {
      item = JSON.createObjectNode();
      item.put("type", "message").put("role", "assistant").put("id", "msg_" + responseId);
      item.putArray("content").addObject().put("type", "output_text").put("text", FINAL_TEXT);
    }
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    ObjectNode created = JSON.createObjectNode().put("type", "response.created");
    created.putObject("response").put("id", responseId);
    event(out, created);
    ObjectNode done = JSON.createObjectNode().put("type", "response.output_item.done");
    done.set("item", item);
    event(out, done);
    ObjectNode completed = JSON.createObjectNode().put("type", "response.completed");
    ObjectNode response = completed.putObject("response").put("id", responseId);
    response
        .putObject("usage")
        .put("input_tokens", 100)
        .put("output_tokens", 10)
        .put("total_tokens", 110);
    event(out, completed);
  }

  /** A function_call_output's output is a string, or a list of content items. */
  private static String text(JsonNode output) {
    if (output.isTextual()) {
      return output.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : output) {
      text.append(part.path("text").asText());
    }
    return text.length() > 0 ? text.toString() : output.toString();
  }

  private static JsonNode withSession(JsonNode input, String lastOutput) {
    ObjectNode copy = input.deepCopy();
    Matcher m = SESSION_ID.matcher(lastOutput);
    copy.fieldNames()
        .forEachRemaining(
            name -> {
              if (SESSION.equals(copy.path(name).asText(null))) {
                long id = m.find(0) ? Long.parseLong(m.group(1)) : 0;
                copy.set(name, JSON.getNodeFactory().numberNode(id));
              }
            });
    return copy;
  }

  private static void event(OutputStream out, JsonNode data) throws IOException {
    out.write(
        ("event: " + data.path("type").asText() + "\ndata: " + data + "\n\n")
            .getBytes(StandardCharsets.UTF_8));
    out.flush();
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
