package dev.tollgate.cli;

import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.engine.source.ProblemCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code -f} and {@code --namespace} options every command shares, and reading what they name.
 */
final class PolicySources {

  static final String STDIN = "-";
  static final String STDIN_ORIGIN = "<stdin>";

  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "PATH",
      description = {
        "Manifest file or folder; folders are searched recursively for *.yaml and *.yml, "
            + "files may hold several documents. Repeatable. '-' reads standard input.",
        "Documents of other API groups (Namespaces, Deployments...) are skipped."
      })
  private List<String> paths = new ArrayList<>();

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      defaultValue = "default",
      description = "Namespace of manifests that name none (default: ${DEFAULT-VALUE}).")
  private String namespace = "default";

  List<String> paths() {
    return List.copyOf(paths);
  }

  String namespace() {
    return namespace;
  }

  boolean readsStdin() {
    return paths.contains(STDIN);
  }

  LoadedPolicies load(InputStream stdin) {
    ManifestLoader loader = new ManifestLoader();
    List<ManifestLoader.Document> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (var file : files(problems).entrySet()) {
      if (file.getKey().equals(STDIN)) {
        loader.readText(readStdin(stdin, problems), STDIN_ORIGIN, documents, problems);
      } else {
        ManifestLoader.Result result = loader.load(List.of(file.getValue()));
        documents.addAll(result.documents());
        problems.addAll(result.problems());
      }
    }
    return LoadedPolicies.of(documents, problems, namespace);
  }

  /**
   * Every file named, once: {@code -f examples -f examples/identities.yaml} must not make each
   * object "defined twice". Keyed by the absolute path, valued by the path as the user wrote it
   * (which is what messages show).
   */
  private Map<String, Path> files(List<Problem> problems) {
    Map<String, Path> files = new LinkedHashMap<>();
    for (String name : paths) {
      if (name.equals(STDIN)) {
        files.put(STDIN, null);
        continue;
      }
      Path path = Path.of(name);
      if (!Files.exists(path)) {
        problems.add(
            new Problem(ProblemCode.UNREADABLE_SOURCE, name, "", "", "no such file or directory"));
        continue;
      }
      try {
        List<Path> found = ManifestLoader.manifestFiles(path);
        if (found.isEmpty()) {
          problems.add(
              new Problem(
                  ProblemCode.UNREADABLE_SOURCE,
                  name,
                  "",
                  "",
                  "no *.yaml or *.yml files in this folder"));
        }
        found.forEach(
            file -> files.putIfAbsent(file.toAbsolutePath().normalize().toString(), file));
      } catch (UncheckedIOException e) {
        problems.add(
            new Problem(
                ProblemCode.UNREADABLE_SOURCE,
                name,
                "",
                "",
                "cannot read: " + e.getCause().getMessage()));
      }
    }
    return files;
  }

  private static String readStdin(InputStream stdin, List<Problem> problems) {
    try {
      return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      problems.add(
          new Problem(
              ProblemCode.UNREADABLE_SOURCE,
              STDIN_ORIGIN,
              "",
              "",
              "cannot read: " + e.getMessage()));
      return "";
    }
  }
}
