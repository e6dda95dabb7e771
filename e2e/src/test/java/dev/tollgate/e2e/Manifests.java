package dev.tollgate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * YAML files applied as {@code kubectl apply --server-side} would: every document as it is written
 * (untyped, so no Java model adds or drops a field on the way), one field manager, conflicts
 * forced.
 */
public final class Manifests {

  public static final String FIELD_MANAGER = "tollgate-e2e";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private Manifests() {}

  /** The YAML files under {@code folder}, recursively, in a stable order. */
  public static List<Path> yamlFiles(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The non-empty documents of one YAML file or text. */
  public static List<GenericKubernetesResource> read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public static List<GenericKubernetesResource> parse(String yaml) {
    List<GenericKubernetesResource> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && !document.isNull() && !document.isEmpty()) {
          objects.add(JSON.treeToValue(document, GenericKubernetesResource.class));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("not YAML: " + e.getMessage(), e);
    }
    return objects;
  }

  /** Server-side applies every object and returns what the API server stored. */
  public static List<GenericKubernetesResource> apply(
      KubernetesClient client, List<GenericKubernetesResource> objects) {
    return objects.stream().map(object -> apply(client, object)).toList();
  }

  public static GenericKubernetesResource apply(
      KubernetesClient client, GenericKubernetesResource object) {
    return client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  public static List<GenericKubernetesResource> applyYaml(KubernetesClient client, String yaml) {
    return apply(client, parse(yaml));
  }
}
