package dev.tollgate.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.engine.source.SourceObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads typed values out of one object's spec while recording a {@link Problem} (with the exact
 * field path) for every value that is missing, of the wrong type, or unknown. Unknown fields are
 * errors, as with {@code kubectl apply}'s strict validation: a misspelt {@code efect} must not
 * silently drop a Deny.
 */
final class SpecReader {

  private final SourceObject source;
  private final List<Problem> problems;

  SpecReader(SourceObject source, List<Problem> problems) {
    this.source = source;
    this.problems = problems;
  }

  void problem(String path, String message) {
    problems.add(Problem.of(source, path, message));
  }

  int problemCount() {
    return problems.size();
  }

  /** Reports fields of {@code node} not in {@code known}. */
  void rejectUnknown(JsonNode node, String path, Set<String> known) {
    if (node == null || !node.isObject()) {
      return;
    }
    node.fieldNames().forEachRemaining(field -> {
      if (!known.contains(field)) {
        problem(join(path, field), "unknown field (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    });
  }

  Optional<String> string(JsonNode parent, String path, String field, boolean required) {
    JsonNode value = parent.get(field);
    String at = join(path, field);
    if (absent(value)) {
      if (required) {
        problem(at, "is required");
      }
      return Optional.empty();
    }
    if (!value.isTextual()) {
      problem(at, "must be a string");
      return Optional.empty();
    }
    if (required && value.asText().isBlank()) {
      problem(at, "must not be empty");
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  Optional<Boolean> bool(JsonNode parent, String path, String field) {
    JsonNode value = parent.get(field);
    if (absent(value)) {
      return Optional.empty();
    }
    if (!value.isBoolean()) {
      problem(join(path, field), "must be true or false");
      return Optional.empty();
    }
    return Optional.of(value.asBoolean());
  }

  Optional<Integer> integer(JsonNode parent, String path, String field, int min, int max) {
    JsonNode value = parent.get(field);
    String at = join(path, field);
    if (absent(value)) {
      return Optional.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      problem(at, "must be a whole number");
      return Optional.empty();
    }
    int number = value.asInt();
    if (number < min || number > max) {
      problem(at, "must be between " + min + " and " + max + ", got " + number);
      return Optional.empty();
    }
    return Optional.of(number);
  }

  /** A nested object; empty (without a problem) when absent. */
  Optional<JsonNode> object(JsonNode parent, String path, String field) {
    JsonNode value = parent.get(field);
    if (absent(value)) {
      return Optional.empty();
    }
    if (!value.isObject()) {
      problem(join(path, field), "must be an object");
      return Optional.empty();
    }
    return Optional.of(value);
  }

  /** A list of objects, each handed back with its own path ({@code spec.rules[2]}). */
  List<Element> objectList(JsonNode parent, String path, String field, boolean required) {
    JsonNode value = parent.get(field);
    String at = join(path, field);
    if (absent(value)) {
      if (required) {
        problem(at, "is required");
      }
      return List.of();
    }
    if (!value.isArray()) {
      problem(at, "must be a list");
      return List.of();
    }
    if (required && value.isEmpty()) {
      problem(at, "must not be empty");
    }
    List<Element> elements = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      String itemPath = at + "[" + i + "]";
      if (!item.isObject()) {
        problem(itemPath, "must be an object");
        continue;
      }
      elements.add(new Element(item, itemPath));
    }
    return elements;
  }

  List<String> stringList(JsonNode parent, String path, String field, boolean required) {
    JsonNode value = parent.get(field);
    String at = join(path, field);
    if (absent(value)) {
      if (required) {
        problem(at, "is required");
      }
      return List.of();
    }
    if (!value.isArray()) {
      problem(at, "must be a list of strings");
      return List.of();
    }
    if (required && value.isEmpty()) {
      problem(at, "must not be empty");
    }
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      if (!item.isTextual() || item.asText().isBlank()) {
        problem(at + "[" + i + "]", "must be a non-empty string");
        continue;
      }
      strings.add(item.asText());
    }
    return List.copyOf(strings);
  }

  Map<String, String> stringMap(JsonNode parent, String path, String field) {
    JsonNode value = parent.get(field);
    String at = join(path, field);
    if (absent(value)) {
      return Map.of();
    }
    if (!value.isObject()) {
      problem(at, "must be a map of strings");
      return Map.of();
    }
    Map<String, String> map = new LinkedHashMap<>();
    value.fields().forEachRemaining(entry -> {
      if (!entry.getValue().isTextual()) {
        problem(at + "." + entry.getKey(), "must be a string");
      } else {
        map.put(entry.getKey(), entry.getValue().asText());
      }
    });
    return Map.copyOf(map);
  }

  static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  private static boolean absent(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode();
  }

  /** An element of a list, with its field path. */
  record Element(JsonNode node, String path) {}
}
