package dev.tollgate.sidecar.gate.egress;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The gate's answers that are not a tunnel: a status, the reason in an {@code X-Tollgate-Reason}
 * header (one line, for tools that show headers) and in the body (for people), and the connection
 * closed. Each refusal is final: nothing goes upstream after it.
 */
final class Refusal {

  /** The header carrying the reason code and message. */
  static final String REASON_HEADER = "X-Tollgate-Reason";

  private Refusal() {}

  static void send(OutputStream out, int status, String reason, String message) {
    String oneLine = message.replaceAll("[\\r\\n]+", " ");
    String body = "Tollgate egress gate: " + reason + ": " + oneLine + "\n";
    byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + phrase(status)
            + "\r\n"
            + REASON_HEADER
            + ": "
            + reason
            + "; "
            + oneLine.replaceAll("[^\\x20-\\x7e]", "?")
            + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + bodyBytes.length
            + "\r\nConnection: close\r\n\r\n";
    try {
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.write(bodyBytes);
      out.flush();
    } catch (IOException e) {
      // The agent went away; the refusal is audited all the same.
    }
  }

  private static String phrase(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 408 -> "Request Timeout";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Error";
    };
  }
}
