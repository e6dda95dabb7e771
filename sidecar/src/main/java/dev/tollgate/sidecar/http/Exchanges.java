package dev.tollgate.sidecar.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.tollgate.engine.hook.RequestJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reading bounded request bodies and writing responses on a JDK {@link HttpExchange}. */
public final class Exchanges {

  public static final ObjectMapper JSON = RequestJson.MAPPER;
  private static final long MAX_DRAIN_BYTES = 16L << 20;

  private Exchanges() {}

  /** A body larger than the limit: answered with 413 before it is read in full. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(long limit) {
      super("request body is larger than " + limit + " bytes");
    }
  }

  private static final String DETACHED = "tollgate.detached";

  /**
   * Keeps the exchange open after the handler returns: the answer comes later from another thread
   * (a call held for approval must not occupy one of the server's few request threads), which then
   * closes it.
   */
  public static void detach(HttpExchange exchange) {
    exchange.setAttribute(DETACHED, Boolean.TRUE);
  }

  public static boolean isDetached(HttpExchange exchange) {
    return exchange.getAttribute(DETACHED) != null;
  }

  public static byte[] readBody(HttpExchange exchange, int limit) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      long declared = declaredLength(exchange);
      if (declared >= 0 && declared <= limit) {
        // Read into an array of exactly the declared size: readNBytes(limit) grows buffers in 8 KiB
        // steps and copies them, which was a visible share of each decision's garbage. A shorter
        // body (the client left) arrives truncated and fails to parse.
        byte[] body = new byte[(int) declared];
        int read = in.readNBytes(body, 0, body.length);
        return read == body.length ? body : Arrays.copyOf(body, read);
      }
      byte[] body = in.readNBytes(limit + 1);
      if (body.length > limit) {
        drain(in);
        throw new TooLargeException(limit);
      }
      return body;
    }
  }

  /** The Content-Length the client declared, or -1 (chunked, absent or unreadable). */
  private static long declaredLength(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Content-Length");
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Reads and drops what is left of an oversized body, up to a bound, so the client, still sending,
   * receives the 413 instead of a reset connection; past the bound the connection goes.
   */
  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = MAX_DRAIN_BYTES;
    int read;
    while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
      left -= read;
    }
  }

  public static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
    send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
  }

  public static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }

  public static void sendText(HttpExchange exchange, int status, String text) throws IOException {
    send(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** True (after answering 404 or 405) when the request is not for exactly this path and method. */
  public static boolean rejectUnlessRoute(HttpExchange exchange, String path, String method)
      throws IOException {
    if (!exchange.getRequestURI().getPath().equals(path)) {
      sendText(exchange, 404, "not found\n");
      return true;
    }
    if (!exchange.getRequestMethod().equals(method)) {
      exchange.getResponseHeaders().set("Allow", method);
      sendText(exchange, 405, "method not allowed; use " + method + "\n");
      return true;
    }
    return false;
  }
}
