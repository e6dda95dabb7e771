package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tollgate.engine.bundle.Bundle;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Logger;

/**
 * The upstream half of a POST: sends what was admitted, and answers the agent with the upstream's
 * answer (JSON or an SSE stream) merged with the answers given here. Every forwarded request gets
 * an answer, from the upstream or, when it fails, a JSON-RPC error naming why.
 */
final class PostForwarder {

  private static final Logger LOG = Logger.getLogger(PostForwarder.class.getName());

  private final UpstreamClient upstream;
  private final UpstreamMessages messages;
  private final SseRelay sse;
  private final StreamWatchdog watchdog;
  private final Duration readTimeout;

  PostForwarder(
      UpstreamClient upstream,
      UpstreamMessages messages,
      SseRelay sse,
      StreamWatchdog watchdog,
      Duration readTimeout) {
    this.upstream = upstream;
    this.messages = messages;
    this.sse = sse;
    this.watchdog = watchdog;
    this.readTimeout = readTimeout;
  }

  void forward(Reply reply, McpPost post, HttpRequest request, Bundle.McpServer server)
      throws IOException {
    HttpResponse<InputStream> response;
    try {
      response = upstream.send(server, request);
    } catch (UpstreamException e) {
      upstreamFailed(reply, post, e.getMessage());
      return;
    } catch (HttpConnectTimeoutException e) {
      upstreamFailed(reply, post, "connecting to MCP server '" + server.name() + "' timed out");
      return;
    } catch (HttpTimeoutException e) {
      upstreamFailed(
          reply,
          post,
          "MCP server '"
              + server.name()
              + "' did not answer within "
              + readTimeout.toMillis()
              + " ms");
      return;
    } catch (ConnectException e) {
      upstreamFailed(
          reply, post, "MCP server '" + server.name() + "' is unreachable (connection refused)");
      return;
    } catch (IOException e) {
      upstreamFailed(
          reply, post, "MCP server '" + server.name() + "' failed: " + UpstreamClient.describe(e));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      upstreamFailed(reply, post, "the gateway is shutting down");
      return;
    }
    try (InputStream body = response.body()) {
      GuardedBody guarded =
          new GuardedBody(body, post.longLived ? Long.MAX_VALUE : readTimeout.toNanos());
      ScheduledFuture<?> watch = watchdog.watch(guarded, reply, !post.longLived);
      try {
        relay(reply, post, response, guarded, server);
      } finally {
        watch.cancel(false);
      }
    }
  }

  private void relay(
      Reply reply,
      McpPost post,
      HttpResponse<InputStream> response,
      GuardedBody body,
      Bundle.McpServer server)
      throws IOException {
    int status = response.statusCode();
    String contentType =
        response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    Optional<String> session = response.headers().firstValue(McpHeaders.SESSION_ID);
    session.ifPresent(value -> reply.header(McpHeaders.SESSION_ID, value));
    if (status == 202 || (status >= 200 && status < 300 && post.pending.isEmpty())) {
      drain(body);
      answerLocally(reply, post, 200);
      return;
    }
    if (contentType.startsWith("text/event-stream") && status == 200) {
      reply.startStream();
      for (JsonNode local : post.local) {
        reply.event(SseEvent.message(local.toString()));
      }
      sse.relay(reply, post, body, session.orElse(post.sessionId), server);
      return;
    }
    byte[] bytes;
    try {
      bytes = upstream.readBounded(body);
    } catch (UpstreamException e) {
      upstreamFailed(reply, post, e.getMessage());
      return;
    }
    JsonNode parsed = null;
    if (contentType.startsWith("application/json")) {
      try {
        parsed = JsonRpc.JSON.readTree(bytes);
      } catch (JsonProcessingException e) {
        parsed = null;
      }
    }
    if (parsed == null || !(parsed.isObject() || parsed.isArray())) {
      upstreamFailed(
          reply,
          post,
          status >= 400
              ? "MCP server '" + server.name() + "' answered HTTP " + status
              : "MCP server '"
                  + server.name()
                  + "' sent a response that is not JSON-RPC ("
                  + (contentType.isEmpty() ? "no content type" : contentType)
                  + ")",
          status >= 400 && status < 500 ? status : 200);
      return;
    }
    if (status >= 400) {
      // The upstream refused the request (unsupported version, unknown or expired session...):
      // its own answer goes back as it is, so the client can react (re-initialize, fall back).
      messages.failPending(
          post, new ArrayList<>(), "MCP server '" + server.name() + "' answered HTTP " + status);
      reply.json(status, parsed);
      return;
    }
    List<JsonNode> out = new ArrayList<>(post.local);
    for (JsonNode message : parsed.isArray() ? parsed : List.of(parsed)) {
      JsonNode kept = messages.toAgent(post, message, session.orElse(post.sessionId));
      if (kept != null) {
        out.add(kept);
      }
    }
    messages.failPending(
        post, out, "MCP server '" + server.name() + "' did not answer this request");
    if (out.isEmpty()) {
      reply.empty(202);
    } else {
      reply.json(status, post.batch || out.size() > 1 ? arrayOf(out) : out.get(0));
    }
  }

  void upstreamFailed(Reply reply, McpPost post, String why) throws IOException {
    upstreamFailed(reply, post, why, 200);
  }

  /**
   * The upstream could not be used: each forwarded request gets a JSON-RPC error -32603 naming why,
   * tool calls are audited as failed; a POST of notifications only gets 502.
   */
  private void upstreamFailed(Reply reply, McpPost post, String why, int status)
      throws IOException {
    LOG.warning(why);
    List<JsonNode> out = new ArrayList<>(post.local);
    messages.failPending(post, out, why);
    if (out.isEmpty()) {
      reply.json(502, JsonRpc.error(null, JsonRpc.INTERNAL_ERROR, why));
    } else {
      reply.json(status, post.batch || out.size() > 1 ? arrayOf(out) : out.get(0));
    }
  }

  /** Only the answers given here (nothing was forwarded, or the upstream had nothing to add). */
  static void answerLocally(Reply reply, McpPost post, int status) throws IOException {
    if (post.local.isEmpty()) {
      reply.empty(status == 200 ? 202 : status);
    } else if (post.batch) {
      reply.json(status, arrayOf(post.local));
    } else {
      reply.json(status, post.local.get(0));
    }
  }

  static ArrayNode arrayOf(List<JsonNode> messages) {
    ArrayNode array = JsonRpc.JSON.createArrayNode();
    messages.forEach(array::add);
    return array;
  }

  private static void drain(InputStream body) {
    try {
      body.skip(1 << 20);
    } catch (IOException ignored) {
      // the body is not needed
    }
  }
}
