package dev.tollgate.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.engine.source.ProblemCode;
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
 *
 * <p>The one such reader: the engine's definitions and the CLI's {@code ToolPolicyTest} documents
 * both read through it, so a bad field is reported in the same words wherever it is.
 */
public final class SpecReader {

  private final String origin;
  private final String object;
  private final List<Problem> problems;

  SpecReader(SourceObject source, List<Problem> problems) {
    this(source.origin(), source.ref().toString(), problems);
  }

  /**
   * @param origin where the document came from, as {@link Problem#origin()}
   * @param object the document's {@code Kind/namespace/name}, as {@link Problem#object()}
   * @param problems where the problems go
   */
  public SpecReader(String origin, String object, List<Problem> problems) {
    this.origin = origin;
    this.object = object;
    this.problems = problems;
  }

  /** Records a problem with a field's value. */
  public void problem(String path, String message) {
    problem(ProblemCode.INVALID_FIELD, path, message);
  }

  public void problem(ProblemCode code, String path, String message) {
    problems.add(new Problem(code, origin, object, path, message));
  }

  public int problemCount() {
    return problems.size();
  }

  /** Reports fields of {@code node} not in {@code known}. */
  public void rejectUnknown(JsonNode node, String path, Set<String> known) {
    if (node == null || !node.isObject()) {
      return;
    }
    node.fieldNames()
        .forEachRemaining(
            field -> {
              if (!known.contains(field)) {
                problem(
                    join(path, field),
                    "unknown field (known: "
                        + String.join(", ", known.stream().sorted().toList())
                        + ")");
              }
            });
  }

  public Optional<String> string(JsonNode parent, String path, String field, boolean required) {
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

  public Optional<Boolean> bool(JsonNode parent, String path, String field) {
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

  public Optional<Integer> integer(JsonNode parent, String path, String field, int min, int max) {
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
  public Optional<JsonNode> object(JsonNode parent, String path, String field) {
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

  /** A nested object, reported as missing when {@code required}. */
  public Optional<JsonNode> object(JsonNode parent, String path, String field, boolean required) {
    if (required && absent(parent.get(field))) {
      problem(join(path, field), "is required");
      return Optional.empty();
    }
    return object(parent, path, field);
  }

  /** A list of objects, each handed back with its own path ({@code spec.rules[2]}). */
  public List<Element> objectList(JsonNode parent, String path, String field, boolean required) {
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

  public List<String> stringList(JsonNode parent, String path, String field, boolean required) {
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

  public Map<String, String> stringMap(JsonNode parent, String path, String field) {
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
    value
        .fields()
        .forEachRemaining(
            entry -> {
              if (!entry.getValue().isTextual()) {
                problem(at + "." + entry.getKey(), "must be a string");
              } else {
                map.put(entry.getKey(), entry.getValue().asText());
              }
            });
    return Map.copyOf(map);
  }

  public static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  private static boolean absent(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode();
  }

  /** An element of a list, with its field path. */
  public record Element(JsonNode node, String path) {}
}
