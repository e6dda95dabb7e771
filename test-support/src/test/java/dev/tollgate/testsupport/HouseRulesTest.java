package dev.tollgate.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The habits that keep the code base easy to carry on, checked over the whole repository so a
 * change that breaks one fails the build with the file named: small production classes, no inline
 * fully qualified names, no {@code *Utils} grab-bags, nothing pointing outside the repository.
 */
class HouseRulesTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final int MAX_CLASS_LINES = 400;
  private static final String OUTSIDE = ".." + "/shared";

  /** {@code java.util.Locale.ROOT} in code: a package path followed by a type name. */
  private static final Pattern INLINE_QUALIFIED_NAME =
      Pattern.compile(
          "(?<![\\w.\"/@])(?:java|javax|com|org|io|dev)\\.(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*");

  @Test
  void noProductionClassIsOverFourHundredLines() {
    List<String> large = new ArrayList<>();
    for (Path file : javaFiles("src/main/java")) {
      if (!file.startsWith(ROOT.resolve("benchmarks")) && lines(file).size() > MAX_CLASS_LINES) {
        large.add(ROOT.relativize(file) + " (" + lines(file).size() + " lines)");
      }
    }
    assertThat(large).as("production classes over %d lines", MAX_CLASS_LINES).isEmpty();
  }

  @Test
  void typesAreImportedNotQualifiedInline() {
    List<String> inline = new ArrayList<>();
    for (Path file : javaFiles("src")) {
      List<String> lines = lines(file);
      for (int i = 0; i < lines.size(); i++) {
        String code = codeOf(lines.get(i));
        if (!code.startsWith("import ")
            && !code.startsWith("package ")
            && INLINE_QUALIFIED_NAME.matcher(code).find()) {
          inline.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
      }
    }
    assertThat(inline).as("fully qualified names in code (import them)").isEmpty();
  }

  @Test
  void noUtilsClasses() {
    assertThat(javaFiles("src"))
        .map(file -> file.getFileName().toString())
        .noneMatch(name -> name.matches(".*Utils?\\.java"));
  }

  @Test
  void nothingPointsOutsideTheRepository() throws IOException {
    List<String> outside = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      files
          .filter(Files::isRegularFile)
          .filter(file -> !isGenerated(file))
          .filter(
              file -> file.toString().matches(".*\\.(java|md|yaml|yml|xml|sh|json|properties)$"))
          .forEach(
              file -> {
                if (lines(file).stream().anyMatch(line -> line.contains(OUTSIDE))) {
                  outside.add(ROOT.relativize(file).toString());
                }
              });
    }
    assertThat(outside)
        .as("files that refer to the brief outside the repository, which a clone does not have")
        .isEmpty();
  }

  /** The line without string literals and comments, trimmed. */
  private static String codeOf(String line) {
    String code = line.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
    int comment = code.indexOf("//");
    code = comment >= 0 ? code.substring(0, comment) : code;
    String trimmed = code.strip();
    return trimmed.startsWith("*") || trimmed.startsWith("/*") ? "" : trimmed;
  }

  private static List<Path> javaFiles(String under) {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files
          .filter(file -> file.toString().endsWith(".java"))
          .filter(file -> !isGenerated(file))
          .filter(file -> ROOT.relativize(file).toString().contains(under + "/"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isGenerated(Path file) {
    String path = ROOT.relativize(file).toString();
    return path.startsWith(".git/") || path.contains("/target/") || path.contains("node_modules/");
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
