package dev.tollgate.sidecar.gate.mcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads Server-Sent Events incrementally (the WHATWG event-stream format: lines ending in LF, CR or
 * CRLF; a blank line ends an event; lines starting with a colon are comments), one event at a time,
 * never the whole stream. An event larger than the limit is refused, not truncated.
 */
final class SseReader {

  /** An event, or a line, longer than the limit. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(long limit) {
      super("an upstream SSE event is larger than " + limit + " bytes");
    }
  }

  private final InputStream in;
  private final int maxEventBytes;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private final byte[] buffer = new byte[8192];
  private int position;
  private int limit;
  private boolean lastWasCr;
  private boolean eof;

  SseReader(InputStream in, int maxEventBytes) {
    this.in = in;
    this.maxEventBytes = maxEventBytes;
  }

  /** The next event (comment lines come back as comment events); null at the end of the stream. */
  SseEvent next() throws IOException {
    String id = null;
    String event = null;
    String retry = null;
    StringBuilder data = null;
    long size = 0;
    while (true) {
      String text = readLine();
      if (text == null) {
        // A trailing event without its blank line is dropped, as the SSE standard says.
        return null;
      }
      size += text.length() + 1;
      if (size > maxEventBytes) {
        throw new TooLargeException(maxEventBytes);
      }
      if (text.isEmpty()) {
        if (data == null && id == null && event == null && retry == null) {
          continue;
        }
        return new SseEvent(id, event, data == null ? null : data.toString(), retry, null);
      }
      if (text.charAt(0) == ':') {
        if (data == null && id == null && event == null && retry == null) {
          return SseEvent.comment(text.substring(1));
        }
        continue;
      }
      int colon = text.indexOf(':');
      String field = colon < 0 ? text : text.substring(0, colon);
      String value = colon < 0 ? "" : text.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "data" -> {
          if (data == null) {
            data = new StringBuilder(value.length());
          } else {
            data.append('\n');
          }
          data.append(value);
        }
        case "id" -> id = value.indexOf('\0') >= 0 ? id : value;
        case "event" -> event = value;
        case "retry" -> retry = value.matches("[0-9]+") ? value : retry;
        default -> {} // unknown fields are ignored
      }
    }
  }

  private String readLine() throws IOException {
    line.reset();
    while (true) {
      if (position == limit) {
        if (eof) {
          return null;
        }
        limit = in.read(buffer);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          eof = true;
          return line.size() > 0 ? line.toString(StandardCharsets.UTF_8) : null;
        }
      }
      byte b = buffer[position++];
      if (b == '\n') {
        if (lastWasCr) {
          lastWasCr = false;
          continue; // the LF of a CRLF
        }
        return line.toString(StandardCharsets.UTF_8);
      }
      if (b == '\r') {
        lastWasCr = true;
        return line.toString(StandardCharsets.UTF_8);
      }
      lastWasCr = false;
      line.write(b);
      if (line.size() > maxEventBytes) {
        throw new TooLargeException(maxEventBytes);
      }
    }
  }
}
