package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The sample manifests under src/test/resources/samples. */
final class Samples {

  private static final YAMLMapper YAML = new YAMLMapper();

  private Samples() {}

  static String text(String name) {
    try (InputStream in = Samples.class.getResourceAsStream("/samples/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode tree(String name) {
    return (ObjectNode) parse(text(name));
  }

  static JsonNode parse(String yamlOrJson) {
    try {
      return YAML.readTree(yamlOrJson);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
