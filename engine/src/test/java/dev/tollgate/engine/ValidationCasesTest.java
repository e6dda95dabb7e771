package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every file under {@code src/test/resources/cases/invalid}: a list of cases, each with
 * manifests and the exact problems they must produce (object, field, and a fragment of the
 * message). A case fails on a missing problem and on any unexpected one.
 */
class ValidationCasesTest {

  private static final Path CASES = Path.of("src/test/resources/cases/invalid");

  @TestFactory
  Stream<DynamicTest> invalidManifests() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(CASES)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (JsonNode testCase : DecisionCasesTest.read(file).path("cases")) {
          tests.add(
              DynamicTest.dynamicTest(
                  file.getFileName() + ": " + testCase.path("name").asText(),
                  () -> check(file, testCase)));
        }
      }
    }
    assertThat(tests).isNotEmpty();
    return tests.stream();
  }

  private static void check(Path file, JsonNode testCase) {
    List<ManifestLoader.Document> documents = new ArrayList<>();
    testCase
        .path("manifests")
        .forEach(m -> documents.add(new ManifestLoader.Document(m, "case.yaml")));
    List<Problem> problems = PolicySet.fromDocuments(documents, "default").problems();

    List<JsonNode> expected = new ArrayList<>();
    testCase.path("problems").forEach(expected::add);
    assertThat(expected).as("a case must expect at least one problem").isNotEmpty();
    for (JsonNode want : expected) {
      assertThat(problems)
          .as("expected %s in %s", want, problems)
          .anySatisfy(
              problem -> {
                assertThat(problem.origin()).isEqualTo("case.yaml");
                assertThat(problem.object()).isEqualTo(want.path("object").asText());
                assertThat(problem.field()).isEqualTo(want.path("field").asText());
                assertThat(problem.message()).contains(want.path("contains").asText());
              });
    }
    assertThat(problems).as("unexpected extra problems").hasSameSizeAs(expected);
  }
}
