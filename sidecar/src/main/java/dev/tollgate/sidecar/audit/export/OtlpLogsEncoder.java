package dev.tollgate.sidecar.audit.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.audit.AuditEventType;
import dev.tollgate.sidecar.core.PodContext;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An OTLP/HTTP {@code ExportLogsServiceRequest} in the protocol's JSON encoding
 * (opentelemetry-proto {@code logs/v1}): one resource (this sidecar's pod), one scope, one log
 * record per audit record. The record's fields become the log body as a key-value list, so nothing
 * of the stdout line is lost; its type is the record's {@code eventName}, and a few fields are
 * repeated as attributes for filtering. The JSON rules followed: lowerCamelCase field names, 64-bit
 * integers as decimal strings, enums as numbers.
 */
final class OtlpLogsEncoder implements BatchEncoder {

  static final String SCOPE = "dev.tollgate.audit";
  private static final int SEVERITY_INFO = 9;
  private static final int SEVERITY_WARN = 13;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Audit fields repeated as log attributes, under their OpenTelemetry-style names. */
  private static final Map<String, String> ATTRIBUTES =
      Map.of(
          "identity", "tollgate.identity",
          "decision", "tollgate.decision",
          "tool", "tollgate.tool",
          "correlationId", "tollgate.correlation_id",
          "schema", "tollgate.audit.schema");

  private static final Set<String> WARNINGS =
      Set.of(
          AuditEventType.DENIED.wireName(),
          AuditEventType.FAILED.wireName(),
          AuditEventType.REJECTED.wireName());

  private final PodContext pod;
  private final Clock clock;

  OtlpLogsEncoder(PodContext pod, Clock clock) {
    this.pod = pod;
    this.clock = clock;
  }

  @Override
  public String contentType() {
    return "application/json";
  }

  @Override
  public byte[] encode(List<byte[]> batch) throws IOException {
    String observed = nanos(clock.instant());
    ArrayNode records = NODES.arrayNode(batch.size());
    for (byte[] line : batch) {
      records.add(record(MAPPER.readTree(line), observed));
    }
    ObjectNode scopeLogs = NODES.objectNode();
    scopeLogs.putObject("scope").put("name", SCOPE).put("version", "v1");
    scopeLogs.set("logRecords", records);
    ObjectNode resourceLogs = NODES.objectNode();
    resourceLogs.putObject("resource").set("attributes", resourceAttributes());
    resourceLogs.putArray("scopeLogs").add(scopeLogs);
    ObjectNode request = NODES.objectNode();
    request.putArray("resourceLogs").add(resourceLogs);
    return MAPPER.writeValueAsBytes(request);
  }

  /**
   * OTLP's partial success: a 200 whose {@code partialSuccess.rejectedLogRecords} counts records
   * the receiver dropped. An answer that is not that JSON rejected nothing.
   */
  @Override
  public int rejectedIn(byte[] answer) {
    if (answer.length == 0) {
      return 0;
    }
    try {
      JsonNode rejected = MAPPER.readTree(answer).path("partialSuccess").path("rejectedLogRecords");
      return rejected.canConvertToInt() || rejected.isTextual() ? Math.max(0, rejected.asInt()) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private ArrayNode resourceAttributes() {
    ArrayNode attributes = NODES.arrayNode();
    attributes.add(keyValue("service.name", NODES.textNode("tollgate-sidecar")));
    if (!pod.namespace().isEmpty()) {
      attributes.add(keyValue("k8s.namespace.name", NODES.textNode(pod.namespace())));
    }
    if (!pod.name().isEmpty()) {
      attributes.add(keyValue("k8s.pod.name", NODES.textNode(pod.name())));
    }
    return attributes;
  }

  private static ObjectNode record(JsonNode fields, String observed) {
    String type = fields.path("type").asText();
    boolean warn = WARNINGS.contains(type);
    ObjectNode record = NODES.objectNode();
    record.put(
        "timeUnixNano",
        fields.path("time").isTextual()
            ? nanos(Instant.parse(fields.path("time").textValue()))
            : observed);
    record.put("observedTimeUnixNano", observed);
    record.put("severityNumber", warn ? SEVERITY_WARN : SEVERITY_INFO);
    record.put("severityText", warn ? "WARN" : "INFO");
    record.put("eventName", type);
    record.set("body", anyValue(fields));
    ArrayNode attributes = record.putArray("attributes");
    ATTRIBUTES.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .filter(entry -> fields.path(entry.getKey()).isTextual())
        .forEach(entry -> attributes.add(keyValue(entry.getValue(), fields.get(entry.getKey()))));
    return record;
  }

  /** An OTLP {@code AnyValue} holding the same value as {@code node}. */
  private static ObjectNode anyValue(JsonNode node) {
    ObjectNode value = NODES.objectNode();
    if (node.isObject()) {
      ArrayNode values = value.putObject("kvlistValue").putArray("values");
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        values.add(keyValue(field.getKey(), field.getValue()));
      }
    } else if (node.isArray()) {
      ArrayNode values = value.putObject("arrayValue").putArray("values");
      node.forEach(element -> values.add(anyValue(element)));
    } else if (node.isTextual()) {
      value.put("stringValue", node.textValue());
    } else if (node.isBoolean()) {
      value.put("boolValue", node.booleanValue());
    } else if (node.isIntegralNumber() && node.canConvertToLong()) {
      value.put("intValue", Long.toString(node.longValue()));
    } else if (node.isNumber()) {
      value.put("doubleValue", node.doubleValue());
    } else if (!node.isNull()) {
      value.put("stringValue", node.asText());
    }
    // null stays an empty AnyValue, OTLP's way of saying "no value"
    return value;
  }

  private static ObjectNode keyValue(String key, JsonNode value) {
    ObjectNode keyValue = NODES.objectNode();
    keyValue.put("key", key);
    keyValue.set("value", anyValue(value));
    return keyValue;
  }

  private static String nanos(Instant instant) {
    return Long.toString(
        Math.addExact(
            Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano()));
  }
}
