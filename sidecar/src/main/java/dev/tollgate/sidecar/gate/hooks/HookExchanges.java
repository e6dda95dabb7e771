package dev.tollgate.sidecar.gate.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.sidecar.http.Exchanges;
import java.io.IOException;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every hook door does around its client's protocol: the route and method, the body's size,
 * the JSON; the fields an unreadable input still names for the audit; the late answer to a held
 * call. Answers take the door's own client's shape ({@link Refusal}, the {@code shape} functions),
 * so each client reads a refusal or a failure as a deny.
 */
final class HookExchanges {

  private static final Logger LOG = Logger.getLogger(HookExchanges.class.getName());

  /** Answers a request the door cannot decide, in its client's shape. */
  @FunctionalInterface
  interface Refusal {
    /**
     * @param json the request's JSON when it could be read, else null
     * @param why what is wrong, for the client and the audit
     */
    void refuse(HttpExchange exchange, int status, JsonNode json, String why) throws IOException;
  }

  private HookExchanges() {}

  /**
   * The request's JSON, or null when the request was answered already (another route or method, a
   * body over {@code maxBodyBytes}, or no JSON).
   */
  static JsonNode read(HttpExchange exchange, String path, int maxBodyBytes, Refusal refusal)
      throws IOException {
    if (Exchanges.rejectUnlessRoute(exchange, path, "POST")) {
      return null;
    }
    byte[] body;
    try {
      body = Exchanges.readBody(exchange, maxBodyBytes);
    } catch (Exchanges.TooLargeException e) {
      refusal.refuse(exchange, 413, null, e.getMessage());
      return null;
    }
    try {
      return Exchanges.JSON.readTree(body);
    } catch (JsonProcessingException e) {
      refusal.refuse(exchange, 400, null, "malformed JSON: " + e.getOriginalMessage());
      return null;
    }
  }

  /** A text field of the input, or null: what an input the parser refused may still name. */
  static String text(JsonNode json, String field) {
    JsonNode value = json == null ? null : json.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /** The input's {@code tool_input} when it is an object, else null. */
  static JsonNode toolInput(JsonNode json) {
    return json != null && json.path("tool_input").isObject() ? json.get("tool_input") : null;
  }

  /** The client's call id, or one of Tollgate's when it sent none. */
  static String correlationId(String toolUseId) {
    return toolUseId == null || toolUseId.isBlank() ? "tollgate-" + UUID.randomUUID() : toolUseId;
  }

  /**
   * Answers a call that was held (an approval) once it is decided, in the client's {@code shape}; a
   * failure while waiting is a deny.
   */
  static void answerLater(
      HttpExchange exchange,
      Decision decision,
      Throwable error,
      Function<Decision, ObjectNode> shape) {
    try (exchange) {
      Exchanges.sendJson(
          exchange,
          200,
          shape.apply(
              error == null
                  ? decision
                  : Decision.badRequest("internal error while waiting for approval", "")));
    } catch (IOException e) {
      LOG.log(Level.FINE, "the hook client left before its held call was decided", e);
    }
  }
}
