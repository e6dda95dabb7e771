package dev.tollgate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CRDs in crds/ are generated from this module's classes and committed (the Kubebuilder
 * convention): this test fails when they drift apart, and rewrites crds/ when run with
 * -Dtollgate.updateCrds=true.
 */
class CrdDriftTest {

  @BeforeAll
  static void updateCommittedCrdsWhenAsked() throws IOException {
    if (!GeneratedCrds.updateRequested()) {
      return;
    }
    Path committed = GeneratedCrds.committedDir();
    Files.createDirectories(committed);
    List<String> generated = generatedFileNames();
    for (String name : generated) {
      Files.copy(
          GeneratedCrds.generatedDir().resolve(name),
          committed.resolve(name),
          StandardCopyOption.REPLACE_EXISTING);
    }
    for (String name : fileNamesIn(committed)) {
      if (!generated.contains(name) && name.endsWith(".yml")) {
        Files.delete(committed.resolve(name));
      }
    }
  }

  @Test
  void generatesExactlyTheFourCrds() throws IOException {
    assertThat(generatedFileNames()).containsExactlyElementsOf(GeneratedCrds.fileNames());
  }

  @Test
  void committedCrdsMatchTheGeneratedOnes() throws IOException {
    List<String> problems = new ArrayList<>();
    for (String name : generatedFileNames()) {
      Path committed = GeneratedCrds.committedDir().resolve(name);
      if (!Files.isRegularFile(committed)) {
        problems.add("crds/" + name + " is missing");
      } else {
        String expected = read(GeneratedCrds.generatedDir().resolve(name));
        String actual = read(committed);
        if (!actual.equals(expected)) {
          problems.add(
              "crds/"
                  + name
                  + " differs from the CRD generated from the api classes, first at line "
                  + firstDifferingLine(expected, actual));
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(
          String.join("\n", problems)
              + "\nRegenerate the committed CRDs with: "
              + GeneratedCrds.REGENERATE_COMMAND);
    }
  }

  @Test
  void crdsFolderHoldsNothingButTheGeneratedCrds() throws IOException {
    assertThat(fileNamesIn(GeneratedCrds.committedDir()))
        .as(
            "files in %s (stale files are removed by %s)",
            GeneratedCrds.committedDir(), GeneratedCrds.REGENERATE_COMMAND)
        .containsExactlyElementsOf(GeneratedCrds.fileNames());
  }

  private static List<String> generatedFileNames() throws IOException {
    Path dir = GeneratedCrds.generatedDir();
    if (!Files.isDirectory(dir)) {
      fail(
          dir
              + " is missing: the crd-generator-maven-plugin runs in process-classes; run the tests through Maven");
    }
    return fileNamesIn(dir);
  }

  private static List<String> fileNamesIn(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static int firstDifferingLine(String expected, String actual) {
    String[] expectedLines = expected.split("\n", -1);
    String[] actualLines = actual.split("\n", -1);
    int line = 0;
    while (line < expectedLines.length
        && line < actualLines.length
        && expectedLines[line].equals(actualLines[line])) {
      line++;
    }
    return line + 1;
  }

  // Line endings are normalized so that a checkout with core.autocrlf does not count as drift.
  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
  }
}
