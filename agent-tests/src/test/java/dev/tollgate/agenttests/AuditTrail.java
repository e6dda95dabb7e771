package dev.tollgate.agenttests;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The sidecar's audit lines grouped by correlation id (the tool_use_id for hook calls). */
public final class AuditTrail {

  private final Map<String, List<JsonNode>> byCall = new LinkedHashMap<>();

  public AuditTrail(List<JsonNode> events) {
    for (JsonNode event : events) {
      byCall
          .computeIfAbsent(event.path("correlationId").asText(), id -> new ArrayList<>())
          .add(event);
    }
  }

  public Set<String> correlationIds() {
    return new LinkedHashSet<>(byCall.keySet());
  }

  /** The event types recorded for one call, in order. */
  public List<String> types(String toolUseId) {
    return events(toolUseId).stream().map(e -> e.path("type").asText()).toList();
  }

  public List<JsonNode> events(String toolUseId) {
    return byCall.getOrDefault(toolUseId, List.of());
  }

  /** The one event of {@code type} for a call. */
  public JsonNode event(String toolUseId, String type) {
    List<JsonNode> matching =
        events(toolUseId).stream().filter(e -> e.path("type").asText().equals(type)).toList();
    if (matching.size() != 1) {
      throw new AssertionError(
          "expected one " + type + " for " + toolUseId + ", got " + types(toolUseId));
    }
    return matching.get(0);
  }
}
