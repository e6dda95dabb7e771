package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.ManifestParser;
import dev.tollgate.engine.source.Problem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every field the CRDs let the API server store is one the engine reads: an object that fills every
 * property of a CRD's spec (a placeholder of the right type in each) draws no "unknown field" from
 * the engine. Otherwise the API server would accept what {@code tollgate validate} and the
 * apply-time webhook, which read with the engine, refuse (as {@code spec.auditExport} once was), or
 * the engine would silently not know a field the API documents.
 */
class CrdFieldsKnownTest {

  private static final Path CRDS = Path.of("..", "crds");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @ParameterizedTest
  @CsvSource({
    "agentidentities.tollgate.dev-v1.yml, AgentIdentity",
    "toolscopes.tollgate.dev-v1.yml, ToolScope",
    "toolpolicies.tollgate.dev-v1.yml, ToolPolicy"
  })
  void theEngineKnowsEveryFieldOfTheCrd(String file, String kind) throws IOException {
    JsonNode crd = new YAMLMapper().readTree(CRDS.resolve(file).toFile());
    JsonNode spec = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
    assertThat(spec.path("properties").size()).as(file).isGreaterThan(1);
    ObjectNode document = NODES.objectNode();
    document.put("apiVersion", "tollgate.dev/v1alpha1");
    document.put("kind", kind);
    document.putObject("metadata").put("name", "every-field").put("namespace", "ns");
    document.set("spec", filled(spec));

    ManifestParser.Outcome outcome = new ManifestParser("ns").parse(document, "crd");
    assertThat(outcome).isInstanceOf(ManifestParser.Parsed.class);
    List<Problem> problems = PolicySet.problemsAlone(((ManifestParser.Parsed) outcome).object());
    assertThat(problems)
        .as("fields the CRD %s has and the engine does not read", file)
        .filteredOn(problem -> problem.message().startsWith("unknown field"))
        .isEmpty();
  }

  /** A value of the schema's type, with every property of an object filled in turn. */
  private static JsonNode filled(JsonNode schema) {
    if (schema.has("enum")) {
      return schema.path("enum").get(0);
    }
    String type = schema.path("type").asText();
    switch (type) {
      case "object":
        ObjectNode object = NODES.objectNode();
        List<String> names = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        for (String name : names) {
          object.set(name, filled(schema.path("properties").path(name)));
        }
        if (names.isEmpty() && schema.path("additionalProperties").isObject()) {
          object.set("key", filled(schema.path("additionalProperties")));
        }
        return object;
      case "array":
        ArrayNode array = NODES.arrayNode();
        array.add(filled(schema.path("items")));
        return array;
      case "integer":
      case "number":
        return NODES.numberNode(1);
      case "boolean":
        return NODES.booleanNode(true);
      default:
        return NODES.textNode("x");
    }
  }
}
