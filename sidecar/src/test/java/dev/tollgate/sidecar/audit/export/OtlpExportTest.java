package dev.tollgate.sidecar.audit.export;

import static dev.tollgate.sidecar.audit.export.ExportEvents.events;
import static dev.tollgate.sidecar.audit.export.ExportEvents.export;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.JsonFormat;
import dev.tollgate.runtime.audit.AuditExportSettings.Protocol;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.JsonLinesAuditSink;
import dev.tollgate.sidecar.audit.export.AuditExporter.Backoff;
import dev.tollgate.sidecar.audit.export.ExportMeter.Failure;
import dev.tollgate.sidecar.audit.export.Receiver.Answer;
import dev.tollgate.sidecar.core.PodContext;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The OTLP/HTTP export, read back with the official OpenTelemetry protobuf definitions: a request
 * that does not parse strictly as an {@code ExportLogsServiceRequest} (unknown field, wrong type)
 * fails these tests, and so does a log record that lost anything of the stdout line.
 */
class OtlpExportTest {

  private static final PodContext POD =
      new PodContext("agent-7", "team-a", "alice", List.of(), "/home/agent");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final CountingMeter meter = new CountingMeter();
  private final Receiver receiver;
  private AuditExporter exporter;

  OtlpExportTest() throws Exception {
    receiver = new Receiver();
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.close();
    }
    receiver.close();
  }

  private AuditExporter otlp(int batch, int attempts) {
    exporter =
        new AuditExporter(
            export(
                receiver.uri("/v1/logs"),
                Protocol.OTLP,
                batch,
                Duration.ofMillis(200),
                100,
                Duration.ofSeconds(2),
                attempts,
                Map.of("X-Scope-OrgID", "tenant-1")),
            POD,
            Clock.fixed(Instant.parse("2026-12-03T01:00:00Z"), ZoneOffset.UTC),
            meter,
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)));
    return exporter;
  }

  private static ExportLogsServiceRequest parse(Receiver.Request request) {
    ExportLogsServiceRequest.Builder builder = ExportLogsServiceRequest.newBuilder();
    try {
      JsonFormat.parser().merge(request.text(), builder); // strict: unknown fields fail
    } catch (Exception e) {
      throw new AssertionError("not an OTLP ExportLogsServiceRequest: " + request.text(), e);
    }
    return builder.build();
  }

  @Test
  void recordsArriveAsOtlpLogsCompleteInOrderAndBatched() throws Exception {
    AuditExporter exporter = otlp(4, 3);
    List<AuditEvent> events = events(10);
    events.forEach(exporter::write);

    await().atMost(Duration.ofSeconds(5)).until(() -> meter.sent.get() == 10);
    assertThat(receiver.requests).hasSize(3);
    List<LogRecord> records = new ArrayList<>();
    for (Receiver.Request request : receiver.requests) {
      assertThat(request.path()).isEqualTo("/v1/logs");
      assertThat(request.contentType()).isEqualTo("application/json");
      assertThat(request.headers().get("X-scope-orgid")).containsExactly("tenant-1");
      ExportLogsServiceRequest otlp = parse(request);
      assertThat(otlp.getResourceLogsList()).hasSize(1);
      ResourceLogs resource = otlp.getResourceLogs(0);
      assertThat(attributes(resource.getResource().getAttributesList()))
          .containsEntry("service.name", "tollgate-sidecar")
          .containsEntry("k8s.namespace.name", "team-a")
          .containsEntry("k8s.pod.name", "agent-7");
      ScopeLogs scope = resource.getScopeLogs(0);
      assertThat(scope.getScope().getName()).isEqualTo("dev.tollgate.audit");
      records.addAll(scope.getLogRecordsList());
    }
    assertThat(records).hasSize(10);
    for (int i = 0; i < 10; i++) {
      AuditEvent event = events.get(i);
      LogRecord record = records.get(i);
      assertThat(record.getEventName()).isEqualTo(event.type().wireName());
      assertThat(record.getTimeUnixNano())
          .isEqualTo(event.time().getEpochSecond() * 1_000_000_000L + event.time().getNano());
      assertThat(record.getObservedTimeUnixNano())
          .isEqualTo(Instant.parse("2026-12-03T01:00:00Z").getEpochSecond() * 1_000_000_000L);
      assertThat(record.getSeverityText()).isEqualTo(event.decision() == null ? "INFO" : "WARN");
      assertThat(attributes(record.getAttributesList()))
          .containsEntry("tollgate.identity", "team-a/coder")
          .containsEntry("tollgate.tool", "Bash")
          .containsEntry("tollgate.correlation_id", event.correlationId());
      // The body holds the stdout line, field for field and value for value.
      assertThat(normalized(json(record.getBody())))
          .isEqualTo(MAPPER.readTree(JsonLinesAuditSink.toJson(event)));
    }
  }

  @Test
  void aPartialSuccessCountsTheRecordsTheReceiverRejected() {
    receiver.answering(
        new Answer(
            200,
            null,
            "{\"partialSuccess\":{\"rejectedLogRecords\":\"2\",\"errorMessage\":\"too old\"}}"));
    AuditExporter exporter = otlp(5, 3);
    events(5).forEach(exporter::write);

    await().atMost(Duration.ofSeconds(5)).until(() -> meter.sent.get() == 3);
    assertThat(meter.failed(Failure.REJECTED)).isEqualTo(2);
  }

  @Test
  void overloadIsRetriedAndABadRequestIsNot() throws Exception {
    receiver.answering(new Answer(503, "0", ""), Answer.of(400));
    AuditExporter exporter = otlp(5, 5);
    events(5).forEach(exporter::write);

    await().atMost(Duration.ofSeconds(5)).until(() -> meter.failed(Failure.REJECTED) == 5);
    Thread.sleep(300);
    assertThat(receiver.requests).hasSize(2);
  }

  private static Map<String, String> attributes(List<KeyValue> attributes) {
    return attributes.stream()
        .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
  }

  /** The JSON value an OTLP AnyValue carries. */
  private static JsonNode json(AnyValue value) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    switch (value.getValueCase()) {
      case KVLIST_VALUE -> {
        ObjectNode object = nodes.objectNode();
        value
            .getKvlistValue()
            .getValuesList()
            .forEach(kv -> object.set(kv.getKey(), json(kv.getValue())));
        return object;
      }
      case ARRAY_VALUE -> {
        ArrayNode array = nodes.arrayNode();
        value.getArrayValue().getValuesList().forEach(element -> array.add(json(element)));
        return array;
      }
      case STRING_VALUE -> {
        return nodes.textNode(value.getStringValue());
      }
      case BOOL_VALUE -> {
        return nodes.booleanNode(value.getBoolValue());
      }
      case INT_VALUE -> {
        return nodes.numberNode(value.getIntValue());
      }
      case DOUBLE_VALUE -> {
        return nodes.numberNode(value.getDoubleValue());
      }
      default -> {
        return nodes.nullNode();
      }
    }
  }

  /** Through text and back, so that an int and a long holding the same number compare equal. */
  private static JsonNode normalized(JsonNode node) throws Exception {
    return MAPPER.readTree(MAPPER.writeValueAsString(node));
  }
}
