package dev.tollgate.sidecar.gate.mcp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One Server-Sent Event as read from the upstream: its fields, or a comment line (a keep-alive).
 *
 * @param id the {@code id} field, or null
 * @param event the {@code event} field, or null (the default type, {@code message})
 * @param data the {@code data} lines joined with {@code \n}, or null when there were none
 * @param retry the {@code retry} field, or null
 * @param comment the text of a comment line (without the colon), for comment-only events
 */
record SseEvent(String id, String event, String data, String retry, String comment) {

  static SseEvent comment(String text) {
    return new SseEvent(null, null, null, null, text);
  }

  static SseEvent message(String data) {
    return new SseEvent(null, null, data, null, null);
  }

  SseEvent withData(String newData) {
    return new SseEvent(id, event, newData, retry, comment);
  }

  boolean isComment() {
    return comment != null;
  }

  /** The default event type carries MCP's JSON-RPC messages. */
  boolean isMessage() {
    return data != null && (event == null || event.equals("message"));
  }

  byte[] encode() {
    StringBuilder out = new StringBuilder(data == null ? 32 : data.length() + 32);
    if (comment != null) {
      out.append(':').append(comment).append('\n');
    }
    if (id != null) {
      out.append("id: ").append(id).append('\n');
    }
    if (event != null) {
      out.append("event: ").append(event).append('\n');
    }
    if (retry != null) {
      out.append("retry: ").append(retry).append('\n');
    }
    if (data != null) {
      for (String line : data.split("\n", -1)) {
        out.append("data: ").append(line).append('\n');
      }
    }
    out.append('\n');
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  void writeTo(OutputStream out) throws IOException {
    out.write(encode());
  }
}
