package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The structural part of what an API server checks against these schemas (types, unknown fields,
 * required, enum, pattern, lengths, bounds, date-time), enough to prove that the samples fit the
 * generated CRDs and that the patterns reject what they should. CEL rules are tested separately.
 */
final class SchemaValidator {

  private static final Set<String> SERVER_MANAGED_ROOT_FIELDS =
      Set.of("apiVersion", "kind", "metadata");

  private SchemaValidator() {}

  static List<String> validate(JSONSchemaProps root, JsonNode object) {
    List<String> errors = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (SERVER_MANAGED_ROOT_FIELDS.contains(field.getKey())) {
        continue;
      }
      JSONSchemaProps schema = root.getProperties().get(field.getKey());
      if (schema == null) {
        errors.add(field.getKey() + ": unknown field");
      } else {
        validate(schema, field.getValue(), field.getKey(), errors);
      }
    }
    return errors;
  }

  private static void validate(
      JSONSchemaProps schema, JsonNode node, String path, List<String> errors) {
    switch (schema.getType()) {
      case "object" -> validateObject(schema, node, path, errors);
      case "array" -> validateArray(schema, node, path, errors);
      case "string" -> validateString(schema, node, path, errors);
      case "integer" -> validateInteger(schema, node, path, errors);
      case "boolean" -> {
        if (!node.isBoolean()) {
          errors.add(path + ": must be a boolean");
        }
      }
      default -> errors.add(path + ": unexpected schema type " + schema.getType());
    }
  }

  private static void validateObject(
      JSONSchemaProps schema, JsonNode node, String path, List<String> errors) {
    if (!node.isObject()) {
      errors.add(path + ": must be an object");
      return;
    }
    if (schema.getRequired() != null) {
      for (String required : schema.getRequired()) {
        if (!node.has(required)) {
          errors.add(path + "." + required + ": required");
        }
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String fieldPath = path + "." + field.getKey();
      JSONSchemaProps fieldSchema =
          schema.getProperties() == null ? null : schema.getProperties().get(field.getKey());
      if (fieldSchema == null && schema.getAdditionalProperties() != null) {
        fieldSchema = schema.getAdditionalProperties().getSchema();
      }
      if (fieldSchema == null) {
        errors.add(fieldPath + ": unknown field");
      } else {
        validate(fieldSchema, field.getValue(), fieldPath, errors);
      }
    }
  }

  private static void validateArray(
      JSONSchemaProps schema, JsonNode node, String path, List<String> errors) {
    if (!node.isArray()) {
      errors.add(path + ": must be an array");
      return;
    }
    if (schema.getMinItems() != null && node.size() < schema.getMinItems()) {
      errors.add(path + ": must have at least " + schema.getMinItems() + " items");
    }
    if (schema.getMaxItems() != null && node.size() > schema.getMaxItems()) {
      errors.add(path + ": must have at most " + schema.getMaxItems() + " items");
    }
    for (int i = 0; i < node.size(); i++) {
      validate(schema.getItems().getSchema(), node.get(i), path + "[" + i + "]", errors);
    }
  }

  private static void validateString(
      JSONSchemaProps schema, JsonNode node, String path, List<String> errors) {
    if (!node.isTextual()) {
      errors.add(path + ": must be a string");
      return;
    }
    String value = node.asText();
    if (schema.getEnum() != null
        && !schema.getEnum().isEmpty()
        && schema.getEnum().stream().noneMatch(e -> e.asText().equals(value))) {
      errors.add(path + ": " + value + " is not one of " + schema.getEnum());
    }
    // OpenAPI patterns are unanchored searches; ours carry their own anchors.
    if (schema.getPattern() != null
        && !Pattern.compile(schema.getPattern()).matcher(value).find()) {
      errors.add(path + ": " + value + " does not match " + schema.getPattern());
    }
    if (schema.getMaxLength() != null && value.length() > schema.getMaxLength()) {
      errors.add(path + ": longer than " + schema.getMaxLength());
    }
    if ("date-time".equals(schema.getFormat())) {
      try {
        OffsetDateTime.parse(value);
      } catch (DateTimeParseException e) {
        errors.add(path + ": " + value + " is not an RFC 3339 date-time");
      }
    }
  }

  private static void validateInteger(
      JSONSchemaProps schema, JsonNode node, String path, List<String> errors) {
    if (!node.isIntegralNumber()) {
      errors.add(path + ": must be an integer");
      return;
    }
    if (schema.getMinimum() != null && node.asDouble() < schema.getMinimum()) {
      errors.add(path + ": must be at least " + schema.getMinimum().longValue());
    }
    if (schema.getMaximum() != null && node.asDouble() > schema.getMaximum()) {
      errors.add(path + ": must be at most " + schema.getMaximum().longValue());
    }
  }
}
