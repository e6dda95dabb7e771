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
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local Gemini API (v1beta {@code generateContent} and {@code streamGenerateContent}) that plays
 * a script: one function call per turn, then a text answer. Gemini CLI reaches it through {@code
 * GOOGLE_GEMINI_BASE_URL} with an API key.
 *
 * <p>The next step is chosen from the conversation (the number of {@code functionResponse} parts
 * Gemini CLI sent back so far), not from a request counter, so side requests (Gemini CLI's
 * non-streamed helper calls) cannot shift the script. The n-th function response answers the n-th
 * scripted call: it is recorded under that call's id, as what the model was told about it.
 */
public final class ScriptedGeminiModel implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String FINAL_TEXT = "Done.";

  private final List<ToolCall> script;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final List<ToolResult> results = Collections.synchronizedList(new ArrayList<>());
  private final List<String> unknownRequests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> served = Collections.synchronizedList(new ArrayList<>());

  public ScriptedGeminiModel(List<ToolCall> script) throws IOException {
    this.script = List.copyOf(script);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The function responses Gemini CLI sent back, one per scripted call it answered, in order. */
  public List<ToolResult> toolResults() {
    synchronized (results) {
      return List.copyOf(results);
    }
  }

  public ToolResult resultFor(String id) {
    return toolResults().stream()
        .filter(r -> r.toolUseId().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError("the model never received a result for " + id + ": " + results));
  }

  /** Ids of the calls handed to the agent, in order. */
  public List<String> servedCalls() {
    return List.copyOf(served);
  }

  /** Requests this model does not implement, answered 404: worth a look when Gemini CLI changes. */
  public List<String> unknownRequests() {
    return List.copyOf(unknownRequests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (method.equals("POST") && path.endsWith(":countTokens")) {
        sendJson(exchange, JSON.createObjectNode().put("totalTokens", 100));
      } else if (method.equals("POST") && path.endsWith(":streamGenerateContent")) {
        stream(exchange, turn(JSON.readTree(body)));
      } else if (method.equals("POST") && path.endsWith(":generateContent")) {
        // Gemini CLI's helper requests (a next-speaker check, a summary) expect JSON text.
        sendJson(
            exchange, response(text("{\"next_speaker\":\"user\",\"reasoning\":\"scripted\"}")));
      } else {
        unknownRequests.add(method + " " + exchange.getRequestURI());
        exchange.sendResponseHeaders(404, -1);
      }
    } catch (RuntimeException e) {
      unknownRequests.add("error: " + e);
      throw e;
    }
  }

  private ObjectNode turn(JsonNode request) {
    int answered = recordResults(request.path("contents"));
    if (answered < script.size()) {
      ToolCall call = script.get(answered);
      call.beforeServing().run();
      if (!served.contains(call.id())) {
        served.add(call.id());
      }
      ObjectNode part = JSON.createObjectNode();
      ObjectNode functionCall = part.putObject("functionCall");
      functionCall.put("name", call.name());
      functionCall.set("args", call.input());
      return response(part);
    }
    return response(text(FINAL_TEXT));
  }

  /** Records each function response once, in order; returns how many there are. */
  private int recordResults(JsonNode contents) {
    int count = 0;
    for (JsonNode content : contents) {
      for (JsonNode part : content.path("parts")) {
        JsonNode response = part.get("functionResponse");
        if (response == null) {
          continue;
        }
        if (count >= results.size() && count < script.size()) {
          JsonNode body = response.path("response");
          boolean error = body.has("error");
          String text = error ? body.path("error").asText() : body.path("output").asText();
          if (text.isEmpty()) {
            text = body.toString();
          }
          results.add(new ToolResult(script.get(count).id(), text, error));
        }
        count++;
      }
    }
    return count;
  }

  private static ObjectNode text(String text) {
    return JSON.createObjectNode().put("text", text);
  }

  private static ObjectNode response(ObjectNode part) {
    ObjectNode response = JSON.createObjectNode();
    ObjectNode candidate = response.putArray("candidates").addObject();
    ObjectNode content = candidate.putObject("content");
    content.put("role", "model");
    content.putArray("parts").add(part);
    candidate.put("finishReason", "STOP");
    candidate.put("index", 0);
    response
        .putObject("usageMetadata")
        .put("promptTokenCount", 100)
        .put("candidatesTokenCount", 10)
        .put("totalTokenCount", 110);
    response.put("modelVersion", "gemini-scripted");
    return response;
  }

  /** One server-sent event holding the whole answer (the real API may split it further). */
  private static void stream(HttpExchange exchange, ObjectNode response) throws IOException {
    byte[] event = ("data: " + response + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, event.length);
    OutputStream out = exchange.getResponseBody();
    out.write(event);
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
