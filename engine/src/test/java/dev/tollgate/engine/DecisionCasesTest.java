package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.bundle.BundleCompiler;
import dev.tollgate.engine.bundle.Compilation;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.DecisionRequest;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.decision.RequestContext;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.Kind;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.ObjectRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every decision case file under {@code src/test/resources/cases/decisions}: each file holds
 * the manifests, the identity to compile, and cases (a tool call and the expected decision, reasons
 * and deciding rules). Adding a behaviour to check means adding YAML, not Java.
 */
class DecisionCasesTest {

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final Path CASES = Path.of("src/test/resources/cases/decisions");

  @TestFactory
  Stream<DynamicNode> decisionCases() throws IOException {
    try (Stream<Path> files = Files.list(CASES)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream()
          .map(DecisionCasesTest::fileContainer);
    }
  }

  private static DynamicNode fileContainer(Path file) {
    JsonNode root = read(file);
    PolicyEngine engine = engineFor(file, root);
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode testCase : root.path("cases")) {
      tests.add(
          DynamicTest.dynamicTest(testCase.path("name").asText(), () -> check(engine, testCase)));
    }
    assertThat(tests).as("%s has no cases", file).isNotEmpty();
    return DynamicContainer.dynamicContainer(file.getFileName().toString(), tests);
  }

  static PolicyEngine engineFor(Path file, JsonNode root) {
    List<ManifestLoader.Document> documents = new ArrayList<>();
    for (JsonNode manifest : root.path("manifests")) {
      documents.add(new ManifestLoader.Document(manifest, file.toString()));
    }
    PolicySet set = PolicySet.fromDocuments(documents, "default");
    assertThat(set.problems()).as("problems in %s", file).isEmpty();
    String[] identity = root.path("identity").asText().split("/");
    Compilation compilation =
        new BundleCompiler()
            .compile(set, new ObjectRef(Kind.AGENT_IDENTITY, identity[0], identity[1]));
    assertThat(compilation.problems()).as("compile problems in %s", file).isEmpty();
    Bundle bundle = compilation.bundle().orElseThrow();
    try {
      return PolicyEngine.load(bundle);
    } catch (Exception e) {
      throw new AssertionError("bundle of " + file + " does not load: " + e.getMessage(), e);
    }
  }

  private static void check(PolicyEngine engine, JsonNode testCase) {
    RequestContext context =
        new RequestContext(
            testCase.path("cwd").asText("/workspace"),
            testCase.path("home").asText(null),
            "session-1",
            "default",
            "agent-pod",
            "team-a",
            Instant.parse(testCase.path("time").asText("2026-11-23T10:00:00Z")));
    List<String> groups = new ArrayList<>();
    testCase.path("groups").forEach(g -> groups.add(g.asText()));
    JsonNode args =
        testCase.has("args") ? testCase.get("args") : JsonNodeFactory.instance.objectNode();
    DecisionRequest request =
        new DecisionRequest(
            testCase.path("tool").asText(),
            args,
            testCase.path("principal").asText(""),
            groups,
            context);

    Decision decision = engine.decide(request);

    String summary =
        decision.summary()
            + " errors="
            + decision.conditionErrors()
            + " resource="
            + decision.resource();
    assertThat(decision.outcome().wireName())
        .as(summary)
        .isEqualTo(testCase.path("expect").asText());
    if (testCase.has("reasons")) {
      assertThat(decision.reasonCodes())
          .as(summary)
          .containsExactlyElementsOf(strings(testCase.get("reasons")));
    }
    if (testCase.has("rules")) {
      assertThat(decision.rules())
          .as(summary)
          .containsExactlyElementsOf(strings(testCase.get("rules")));
    }
    if (testCase.has("approvers")) {
      assertThat(decision.approvers())
          .as(summary)
          .containsExactlyElementsOf(strings(testCase.get("approvers")));
    }
    if (testCase.has("wouldDecide")) {
      assertThat(decision.wouldDecide()).as(summary).isNotNull();
      assertThat(decision.wouldDecide().outcome().wireName())
          .as(summary)
          .isEqualTo(testCase.get("wouldDecide").asText());
      if (testCase.has("wouldReasons")) {
        assertThat(decision.wouldDecide().reasonCodes())
            .as(summary)
            .containsExactlyElementsOf(strings(testCase.get("wouldReasons")));
      }
    } else {
      assertThat(decision.wouldDecide()).as(summary).isNull();
    }
    if (testCase.has("resource")) {
      testCase
          .get("resource")
          .fields()
          .forEachRemaining(
              field ->
                  assertThat(String.valueOf(decision.resource().get(field.getKey())))
                      .as("resource.%s; %s", field.getKey(), summary)
                      .isEqualTo(
                          field.getValue().isArray()
                              ? strings(field.getValue()).toString()
                              : field.getValue().asText()));
    }
  }

  static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  static JsonNode read(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }
}
