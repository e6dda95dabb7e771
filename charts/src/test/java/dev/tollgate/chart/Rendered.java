package dev.tollgate.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The objects one `helm template` rendered, typed by kind (unknown kinds as generic resources). */
final class Rendered {

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final String yaml;
  private final List<JsonNode> documents;
  private final List<HasMetadata> objects;

  private Rendered(String yaml, List<JsonNode> documents, List<HasMetadata> objects) {
    this.yaml = yaml;
    this.documents = documents;
    this.objects = objects;
  }

  static Rendered parse(String yaml) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    List<HasMetadata> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode document = it.next();
        if (document == null
            || document.isNull()
            || document.isMissingNode()
            || document.isEmpty()) {
          continue;
        }
        documents.add(document);
        objects.add(SERIALIZATION.unmarshal(document.toString()));
      }
    }
    return new Rendered(yaml, List.copyOf(documents), List.copyOf(objects));
  }

  static YAMLMapper yamlMapper() {
    return YAML;
  }

  String yaml() {
    return yaml;
  }

  List<JsonNode> documents() {
    return documents;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /**
   * All objects of a kind that the Fabric8 model does not know (cert-manager, Prometheus Operator).
   */
  List<JsonNode> generic(String kind) {
    return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }

  <T extends HasMetadata> T one(Class<T> type, String name) {
    List<T> matches =
        all(type).stream().filter(o -> Objects.equals(o.getMetadata().getName(), name)).toList();
    if (matches.size() != 1) {
      throw new AssertionError(
          "expected one "
              + type.getSimpleName()
              + " named "
              + name
              + ", found "
              + matches.size()
              + " among "
              + objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList());
    }
    return matches.get(0);
  }

  List<HasMetadata> objects() {
    return objects;
  }
}
