package dev.tollgate.engine.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLoaderTest {

  @TempDir Path dir;

  @Test
  void readsFoldersRecursivelyMultiDocumentAndKindList() throws Exception {
    Files.createDirectories(dir.resolve("nested/deeper"));
    Files.writeString(
        dir.resolve("a.yaml"),
        "apiVersion: v1\nkind: Namespace\n---\n---\napiVersion: v1\nkind: ConfigMap\n");
    Files.writeString(
        dir.resolve("nested/deeper/b.yml"),
        "apiVersion: v1\nkind: List\nitems:\n- {kind: A}\n- {kind: B}\n");
    Files.writeString(dir.resolve("nested/notes.txt"), "not: yaml: at: all");

    ManifestLoader.Result result = new ManifestLoader().load(List.of(dir));

    assertThat(result.problems()).isEmpty();
    assertThat(result.documents())
        .extracting(d -> d.node().path("kind").asText())
        .containsExactly("Namespace", "ConfigMap", "A", "B");
    assertThat(result.documents().get(2).origin()).endsWith("b.yml");
  }

  @Test
  void malformedYamlNamesTheFileAndLine() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        "apiVersion: tollgate.dev/v1alpha1\nkind: ToolPolicy\nspec:\n  rules: [\n    {name: a\n");

    ManifestLoader.Result result = new ManifestLoader().load(List.of(file));

    assertThat(result.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.origin()).isEqualTo(file.toString());
              assertThat(problem.message())
                  .startsWith("invalid YAML at line ")
                  .doesNotContain("\n");
            });
  }

  @Test
  void aMissingPathIsAProblem() {
    ManifestLoader.Result result = new ManifestLoader().load(List.of(dir.resolve("nope")));
    assertThat(result.problems())
        .singleElement()
        .satisfies(
            problem -> assertThat(problem.toString()).endsWith("nope: no such file or directory"));
  }

  @Test
  void aScalarDocumentIsRejectedByTheParser() throws Exception {
    Path file = dir.resolve("scalar.yaml");
    Files.writeString(file, "just a string\n");
    ManifestLoader.Result result = new ManifestLoader().load(List.of(file));
    ManifestParser.Outcome outcome =
        new ManifestParser("default").parse(result.documents().get(0).node(), file.toString());
    assertThat(outcome)
        .isInstanceOfSatisfying(
            ManifestParser.Rejected.class,
            r ->
                assertThat(r.problem().message())
                    .isEqualTo("a manifest must be a YAML/JSON object"));
  }
}
