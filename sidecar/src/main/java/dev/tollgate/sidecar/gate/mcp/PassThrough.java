package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.tollgate.engine.bundle.Bundle;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;

/**
 * GET (the session's stream of server messages) and DELETE (ending the session): nothing to decide
 * on the way in; what the server sends on the stream still passes {@link UpstreamMessages}.
 */
final class PassThrough {

  private final UpstreamClient upstream;
  private final SessionVersions sessions;
  private final SseRelay sse;
  private final StreamWatchdog watchdog;
  private final Duration readTimeout;

  PassThrough(
      UpstreamClient upstream,
      SessionVersions sessions,
      SseRelay sse,
      StreamWatchdog watchdog,
      Duration readTimeout) {
    this.upstream = upstream;
    this.sessions = sessions;
    this.sse = sse;
    this.watchdog = watchdog;
    this.readTimeout = readTimeout;
  }

  void handle(HttpExchange exchange, Reply reply, Bundle.McpServer server) throws IOException {
    boolean get = exchange.getRequestMethod().equals("GET");
    exchange.getRequestBody().close();
    HttpRequest.Builder request;
    try {
      request = upstream.request(exchange.getRequestHeaders(), server);
    } catch (UpstreamException e) {
      reply.json(502, JsonRpc.error(null, JsonRpc.INTERNAL_ERROR, e.getMessage()));
      return;
    }
    request.timeout(readTimeout);
    if (get) {
      request.header("Accept", "text/event-stream").GET();
    } else {
      request.DELETE();
    }
    HttpResponse<InputStream> response;
    try {
      response = upstream.send(server, request.build());
    } catch (IOException e) {
      reply.json(
          502,
          JsonRpc.error(
              null,
              JsonRpc.INTERNAL_ERROR,
              "MCP server '" + server.name() + "' is unreachable: " + UpstreamClient.describe(e)));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    String sessionId = exchange.getRequestHeaders().getFirst(McpHeaders.SESSION_ID);
    if (!get && sessionId != null && response.statusCode() < 300) {
      sessions.forget(sessionId);
    }
    try (InputStream body = response.body()) {
      String contentType =
          response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
      response.headers().firstValue("Allow").ifPresent(value -> reply.header("Allow", value));
      if (get && response.statusCode() == 200 && contentType.startsWith("text/event-stream")) {
        // Server-initiated messages for the session; no read timeout (it may be quiet for long).
        GuardedBody guarded = new GuardedBody(body, Long.MAX_VALUE);
        ScheduledFuture<?> watch = watchdog.watch(guarded, reply, false);
        try {
          reply.startStream();
          McpPost none =
              new McpPost(server.name(), sessionId, McpProtocol.DEFAULT_VERSION, false, null);
          sse.relay(reply, none, guarded, sessionId, server);
        } finally {
          watch.cancel(false);
        }
        return;
      }
      byte[] bytes;
      try {
        bytes = upstream.readBounded(new GuardedBody(body, Long.MAX_VALUE));
      } catch (UpstreamException e) {
        bytes = new byte[0];
      }
      JsonNode json = null;
      try {
        json = bytes.length == 0 ? null : JsonRpc.JSON.readTree(bytes);
      } catch (JsonProcessingException e) {
        json = null;
      }
      if (json != null && (json.isObject() || json.isArray())) {
        reply.json(response.statusCode(), json);
      } else {
        reply.empty(response.statusCode());
      }
    }
  }
}
