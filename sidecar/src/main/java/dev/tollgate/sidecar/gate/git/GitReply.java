package dev.tollgate.sidecar.gate.git;

import com.sun.net.httpserver.HttpExchange;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Answers one smart HTTP exchange: either a plain-text error (git prints a {@code text/plain} body
 * of a failed request as {@code remote: ...} lines before its own error), or a streamed {@code 200}
 * whose headers go out on the first byte, so that a failure before any output can still be answered
 * as an error.
 */
final class GitReply {

  private final HttpExchange exchange;
  private boolean started;

  GitReply(HttpExchange exchange) {
    this.exchange = exchange;
  }

  boolean started() {
    return started;
  }

  /** A plain-text error; {@code message} is one or more lines. */
  void error(int status, String message) throws IOException {
    if (started) {
      return;
    }
    started = true;
    byte[] body =
        (message.endsWith("\n") ? message : message + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    noCache();
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The body of a {@code 200} of {@code contentType}, chunked, sent when first written. */
  OutputStream stream(String contentType) {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    noCache();
    return new FilterOutputStream(exchange.getResponseBody()) {
      @Override
      public void write(int b) throws IOException {
        start();
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        start();
        out.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        start();
        out.flush();
      }

      @Override
      public void close() throws IOException {
        start();
        out.close();
      }
    };
  }

  private void start() throws IOException {
    if (!started) {
      started = true;
      exchange.sendResponseHeaders(200, 0);
    }
  }

  // Proxies and git itself must never answer a later request from a cached advertisement.
  private void noCache() {
    exchange.getResponseHeaders().set("Cache-Control", "no-cache, max-age=0, must-revalidate");
    exchange.getResponseHeaders().set("Expires", "Fri, 01 Jan 1980 00:00:00 GMT");
  }
}
