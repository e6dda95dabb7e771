package dev.tollgate.sidecar.gate.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.tollgate.sidecar.http.Exchanges;
import java.io.IOException;

/**
 * What every hook door does before it reads its client's input: the route and method, the body's
 * size, the JSON. A refusal is answered in the door's own client's shape ({@link Refusal}), so each
 * client reads it as a deny.
 */
final class HookRequestBody {

  /** Answers a request the door cannot decide, in its client's shape. */
  @FunctionalInterface
  interface Refusal {
    /**
     * @param json the request's JSON when it could be read, else null
     * @param why what is wrong, for the client and the audit
     */
    void refuse(HttpExchange exchange, int status, JsonNode json, String why) throws IOException;
  }

  private HookRequestBody() {}

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
}
