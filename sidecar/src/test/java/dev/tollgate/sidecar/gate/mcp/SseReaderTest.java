package dev.tollgate.sidecar.gate.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  private static List<SseEvent> read(String text, int limit) throws Exception {
    SseReader reader =
        new SseReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), limit);
    List<SseEvent> events = new ArrayList<>();
    SseEvent event;
    while ((event = reader.next()) != null) {
      events.add(event);
    }
    return events;
  }

  @Test
  void readsFieldsWhateverTheLineEndings() throws Exception {
    for (String eol : new String[] {"\n", "\r\n", "\r"}) {
      String text =
          ("event: message"
                  + eol
                  + "id: 7"
                  + eol
                  + "data: {\"a\":"
                  + eol
                  + "data:1}"
                  + eol
                  + eol
                  + ": keep-alive"
                  + eol
                  + eol
                  + "retry: 100"
                  + eol
                  + "data: x"
                  + eol
                  + eol)
              .replace("\n\n", "\n\n");
      List<SseEvent> events = read(text, 1 << 16);
      assertThat(events).as(eol.replace("\r", "CR").replace("\n", "LF")).hasSize(3);
      assertThat(events.get(0)).isEqualTo(new SseEvent("7", "message", "{\"a\":\n1}", null, null));
      assertThat(events.get(0).isMessage()).isTrue();
      assertThat(events.get(1).isComment()).isTrue();
      assertThat(events.get(2).retry()).isEqualTo("100");
      assertThat(events.get(2).data()).isEqualTo("x");
    }
  }

  @Test
  void anUnterminatedLastEventIsDroppedAndOtherTypesAreNotMessages() throws Exception {
    List<SseEvent> events = read("event: ping\ndata: 1\n\nid: 2\ndata: {\"half\":", 1 << 16);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).isMessage()).isFalse();
  }

  @Test
  void anIdOnlyPrimerEventIsKept() throws Exception {
    // 2025-11-25 servers prime resumable streams with an event that has an id and empty data.
    List<SseEvent> events = read("id: abc\ndata:\n\n", 1 << 16);
    assertThat(events).containsExactly(new SseEvent("abc", null, "", null, null));
  }

  @Test
  void anEventAboveTheLimitIsRefusedNotTruncated() {
    String big = "data: " + "x".repeat(5_000) + "\n\n";
    assertThatThrownBy(() -> read(big, 1_024)).isInstanceOf(SseReader.TooLargeException.class);
    String many = "data: 1234567890\n".repeat(200) + "\n";
    assertThatThrownBy(() -> read(many, 1_024)).isInstanceOf(SseReader.TooLargeException.class);
  }

  @Test
  void encodingRoundTrips() throws Exception {
    SseEvent event = new SseEvent("9", null, "{\"a\":1}\n{\"b\":2}", "50", null);
    assertThat(read(new String(event.encode(), StandardCharsets.UTF_8), 1 << 16))
        .containsExactly(event);
    assertThat(new String(SseEvent.comment("").encode(), StandardCharsets.UTF_8))
        .isEqualTo(":\n\n");
  }

  @Test
  void readsIncrementallyFromASlowStream() throws Exception {
    // One byte at a time: the reader never needs the whole stream.
    byte[] bytes = "data: {\"x\":1}\r\n\r\ndata: {\"y\":2}\n\n".getBytes(StandardCharsets.UTF_8);
    InputStream trickle =
        new InputStream() {
          int position;

          @Override
          public int read() {
            return position < bytes.length ? bytes[position++] : -1;
          }

          @Override
          public int read(byte[] buffer, int offset, int length) {
            if (position >= bytes.length) {
              return -1;
            }
            buffer[offset] = bytes[position++];
            return 1;
          }
        };
    SseReader reader = new SseReader(trickle, 1 << 16);
    assertThat(reader.next().data()).isEqualTo("{\"x\":1}");
    assertThat(reader.next().data()).isEqualTo("{\"y\":2}");
    assertThat(reader.next()).isNull();
  }
}
