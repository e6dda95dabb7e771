package dev.tollgate.api.v1alpha1;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the generated and the committed CRDs are, and how to read them. */
final class GeneratedCrds {

  static final List<String> PLURALS =
      List.of("agentidentities", "toolcallapprovals", "toolpolicies", "toolscopes");

  static final String REGENERATE_COMMAND = "mvn -B -q -pl api verify -Dtollgate.updateCrds=true";

  private GeneratedCrds() {}

  static String fileName(String plural) {
    return plural + "." + TollgateApi.GROUP + "-v1.yml";
  }

  static List<String> fileNames() {
    return PLURALS.stream().map(GeneratedCrds::fileName).sorted().toList();
  }

  /** Surefire passes both folders; the fallbacks serve a run from an IDE in the module folder. */
  static Path generatedDir() {
    return Path.of(System.getProperty("tollgate.generatedCrdsDir", "target/generated-crds"));
  }

  static Path committedDir() {
    return Path.of(System.getProperty("tollgate.crdsDir", "../crds")).toAbsolutePath().normalize();
  }

  static boolean updateRequested() {
    return Boolean.parseBoolean(System.getProperty("tollgate.updateCrds", "false"));
  }

  static CustomResourceDefinition load(String plural) {
    Path file = generatedDir().resolve(fileName(plural));
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          file
              + " is missing: CrdGeneration runs in process-test-classes, "
              + "so run the tests through Maven (mvn -B -q -pl api verify)");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CustomResourceDefinitionVersion version(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().stream()
        .filter(v -> TollgateApi.VERSION.equals(v.getName()))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    crd.getMetadata().getName() + " has no version " + TollgateApi.VERSION));
  }

  static JSONSchemaProps rootSchema(String plural) {
    return version(load(plural)).getSchema().getOpenAPIV3Schema();
  }

  /**
   * The schema at a dotted path; {@code []} steps into array items, e.g. {@code spec.rules[].name}.
   */
  static JSONSchemaProps schemaAt(JSONSchemaProps root, String path) {
    JSONSchemaProps current = root;
    for (String step : path.split("\\.")) {
      boolean items = step.endsWith("[]");
      String name = items ? step.substring(0, step.length() - 2) : step;
      if (current.getProperties() == null || !current.getProperties().containsKey(name)) {
        throw new AssertionError("no property " + name + " on the way to " + path);
      }
      current = current.getProperties().get(name);
      if (items) {
        current = current.getItems().getSchema();
      }
    }
    return current;
  }
}
