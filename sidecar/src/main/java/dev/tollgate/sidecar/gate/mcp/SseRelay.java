package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.bundle.Bundle;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Relays an upstream SSE stream to the agent event by event (never buffered whole), each JSON-RPC
 * message passing through {@link UpstreamMessages}; a stream that breaks or goes silent answers
 * what it left pending with errors.
 */
final class SseRelay {

  private static final Logger LOG = Logger.getLogger(SseRelay.class.getName());

  private final UpstreamMessages messages;
  private final int maxEventBytes;
  private final Duration readTimeout;

  SseRelay(UpstreamMessages messages, int maxEventBytes, Duration readTimeout) {
    this.messages = messages;
    this.maxEventBytes = maxEventBytes;
    this.readTimeout = readTimeout;
  }

  /** Relays until the stream ends; the reply's stream is started already. */
  void relay(Reply reply, McpPost post, GuardedBody body, String sessionId, Bundle.McpServer server)
      throws IOException {
    SseReader reader = new SseReader(body, maxEventBytes);
    String failure = null;
    try {
      SseEvent event;
      while ((event = reader.next()) != null) {
        if (event.isComment() || !event.isMessage() || event.data().isBlank()) {
          reply.event(event); // keep-alives, resumption primers, other event types
          continue;
        }
        JsonNode message;
        try {
          message = JsonRpc.JSON.readTree(event.data());
        } catch (JsonProcessingException e) {
          LOG.fine("dropped an SSE event from MCP server '" + server.name() + "' that is not JSON");
          continue;
        }
        if (message == null || !message.isObject()) {
          continue;
        }
        JsonNode kept = messages.toAgent(post, message, sessionId);
        if (kept != null) {
          reply.event(kept == message ? event : event.withData(kept.toString()));
        }
      }
    } catch (SseReader.TooLargeException e) {
      failure = e.getMessage();
    } catch (IOException e) {
      if (body.clientGone()) {
        throw e;
      }
      failure =
          body.timedOut()
              ? "MCP server '"
                  + server.name()
                  + "' sent nothing for "
                  + readTimeout.toMillis()
                  + " ms"
              : "the stream from MCP server '"
                  + server.name()
                  + "' broke: "
                  + UpstreamClient.describe(e);
    }
    if (failure != null && post != null) {
      List<JsonNode> errors = new ArrayList<>();
      messages.failPending(post, errors, failure);
      for (JsonNode error : errors) {
        reply.event(SseEvent.message(error.toString()));
      }
    }
  }
}
