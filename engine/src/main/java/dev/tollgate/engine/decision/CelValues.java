package dev.tollgate.engine.decision;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts JSON tool inputs into the Java values CEL-Java evaluates over. */
final class CelValues {

  private CelValues() {}

  static Object of(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NullValue.NULL_VALUE;
    }
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? (Object) node.asLong() : (Object) node.asDouble();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(item -> list.add(of(item)));
      return Collections.unmodifiableList(list);
    }
    if (node.isObject()) {
      return map(node);
    }
    return node.asText();
  }

  static Map<String, Object> map(JsonNode node) {
    Map<String, Object> map = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      node.fields().forEachRemaining(entry -> map.put(entry.getKey(), of(entry.getValue())));
    }
    return Collections.unmodifiableMap(map);
  }
}
