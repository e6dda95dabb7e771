package dev.tollgate.sidecar.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Writes one JSON object per line. The sidecar points it at its own stdout, which the agent
 * container cannot reach, so the agent cannot silence its audit trail. Lines are buffered until
 * {@link #flush()}: the {@link QueuedAuditSink} in front of it flushes whenever it has caught up,
 * so a burst costs one write to the stream instead of one per event.
 */
public final class JsonLinesAuditSink implements AuditSink {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .addModule(
              new SimpleModule()
                  .addSerializer(Instant.class, new ToStringSerializer())
                  .addSerializer(
                      AuditEventType.class,
                      new JsonSerializer<AuditEventType>() {
                        @Override
                        public void serialize(
                            AuditEventType value, JsonGenerator gen, SerializerProvider serializers)
                            throws IOException {
                          gen.writeString(value.wireName());
                        }
                      }))
          .build();

  private final OutputStream out;
  private final Consumer<Throwable> onFailure;
  private final Consumer<byte[]> copies;

  /**
   * @param onFailure told of every event that could not be written (a metric counts it)
   */
  public JsonLinesAuditSink(OutputStream out, Consumer<Throwable> onFailure) {
    this(out, onFailure, line -> {});
  }

  /**
   * @param copies given each line (without its newline) once it is written, even if the stream
   *     failed: the audit export takes its copy here, so a record is serialized once, not per
   *     destination. Must not block.
   */
  public JsonLinesAuditSink(
      OutputStream out, Consumer<Throwable> onFailure, Consumer<byte[]> copies) {
    this.out = new BufferedOutputStream(out, 64 * 1024);
    this.onFailure = onFailure;
    this.copies = copies;
  }

  @Override
  public void write(AuditEvent event) {
    try {
      // Jackson writes UTF-8 bytes itself: going through a String and a PrintStream encoded every
      // character a second time, a tenth of the sidecar's CPU under load (sidecar/bench/load.sh).
      byte[] line = MAPPER.writeValueAsBytes(event);
      try {
        synchronized (out) {
          out.write(line);
          out.write('\n');
        }
      } finally {
        copies.accept(line);
      }
    } catch (IOException | RuntimeException e) {
      onFailure.accept(e);
    }
  }

  @Override
  public void flush() {
    synchronized (out) {
      try {
        out.flush();
      } catch (IOException e) {
        onFailure.accept(e);
      }
    }
  }

  /** One event's line without its newline, exactly as written to stdout. */
  public static byte[] toJsonBytes(AuditEvent event) throws JsonProcessingException {
    return MAPPER.writeValueAsBytes(event);
  }

  /** The JSON text of one event, as written (tests check it against the published schema). */
  public static String toJson(AuditEvent event) throws JsonProcessingException {
    return MAPPER.writeValueAsString(event);
  }
}
