package dev.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.source.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of one document's fields for {@link PolicyTestFileParser}, each failure recorded as
 * a problem with the document's file, object and the field's path.
 */
final class FieldReader {

  private final String origin;
  private final String object;
  private final List<Problem> problems;

  FieldReader(String origin, String object, List<Problem> problems) {
    this.origin = origin;
    this.object = object;
    this.problems = problems;
  }

  int count() {
    return problems.size();
  }

  void problem(String field, String message) {
    problems.add(new Problem(origin, object, field, message));
  }

  void rejectUnknown(JsonNode node, String path, Set<String> known) {
    node.fieldNames().forEachRemaining(field -> {
      if (!known.contains(field)) {
        problem(join(path, field), "unknown field (known: " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    });
  }

  String string(JsonNode parent, String path, String field, boolean required) {
    JsonNode value = parent.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        problem(join(path, field), "is required");
      }
      return null;
    }
    if (!value.isTextual() || (required && value.asText().isBlank())) {
      problem(join(path, field), required ? "must be a non-empty string" : "must be a string");
      return null;
    }
    return value.asText();
  }

  List<String> strings(JsonNode parent, String path, String field) {
    JsonNode value = parent.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    List<String> strings = new ArrayList<>();
    if (!value.isArray()) {
      problem(join(path, field), "must be a list of strings");
      return strings;
    }
    for (int i = 0; i < value.size(); i++) {
      if (value.get(i).isTextual() && !value.get(i).asText().isBlank()) {
        strings.add(value.get(i).asText());
      } else {
        problem(join(path, field) + "[" + i + "]", "must be a non-empty string");
      }
    }
    return strings;
  }

  JsonNode object(JsonNode parent, String path, String field, boolean required) {
    JsonNode value = parent.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        problem(join(path, field), "is required");
      }
      return null;
    }
    if (!value.isObject()) {
      problem(join(path, field), "must be an object");
      return null;
    }
    return value;
  }

  /** A required, non-empty list. */
  List<JsonNode> list(JsonNode parent, String path, String field) {
    JsonNode value = parent.get(field);
    List<JsonNode> items = new ArrayList<>();
    if (value == null || value.isNull()) {
      problem(join(path, field), "is required");
    } else if (!value.isArray()) {
      problem(join(path, field), "must be a list");
    } else if (value.isEmpty()) {
      problem(join(path, field), "must not be empty");
    } else {
      value.forEach(items::add);
    }
    return items;
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
