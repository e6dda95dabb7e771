package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The answer to one gateway exchange, written from the gateway's own threads: a whole JSON body, an
 * empty status, or an SSE stream written event by event (each flushed), with keep-alive comments
 * from the watchdog between them. Writes are serialized.
 */
final class Reply {

  private final HttpExchange exchange;
  private boolean started;
  private OutputStream stream;
  private volatile long lastWriteNanos = System.nanoTime();

  Reply(HttpExchange exchange) {
    this.exchange = exchange;
  }

  synchronized boolean started() {
    return started;
  }

  void header(String name, String value) {
    if (value != null) {
      exchange.getResponseHeaders().set(name, value);
    }
  }

  synchronized void json(int status, JsonNode body) throws IOException {
    byte[] bytes = JsonRpc.JSON.writeValueAsBytes(body);
    header("Content-Type", "application/json");
    header("Cache-Control", "no-store");
    started = true;
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.getResponseBody().flush();
  }

  synchronized void empty(int status) throws IOException {
    started = true;
    exchange.sendResponseHeaders(status, -1);
  }

  synchronized void startStream() throws IOException {
    header("Content-Type", "text/event-stream");
    header("Cache-Control", "no-cache");
    header("X-Accel-Buffering", "no");
    started = true;
    exchange.sendResponseHeaders(200, 0);
    stream = exchange.getResponseBody();
    lastWriteNanos = System.nanoTime();
  }

  synchronized void event(SseEvent event) throws IOException {
    stream.write(event.encode());
    stream.flush();
    lastWriteNanos = System.nanoTime();
  }

  /**
   * A keep-alive comment when nothing was written for {@code quietNanos}: detects a client that
   * left.
   */
  synchronized void keepAliveIfQuiet(long quietNanos) throws IOException {
    if (stream != null && System.nanoTime() - lastWriteNanos >= quietNanos) {
      event(SseEvent.comment(""));
    }
  }

  void close() {
    exchange.close();
  }
}
