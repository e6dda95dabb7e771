package dev.tollgate.chart;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Helm binary that {@code bin/tools/helm} installs (building it on a fresh machine), so
 * the tests need nothing installed by hand. One instance per test class; the path is resolved once.
 */
final class Helm {

  /** What one Helm command did. */
  record Result(int exitCode, String stdout, String stderr) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  // A cold `go install` of Helm takes minutes on 2 cores; later calls find the cached binary.
  private static final long INSTALL_TIMEOUT_MINUTES = 20;
  private static final long COMMAND_TIMEOUT_SECONDS = 120;
  private static Path binary;

  private final Path repoRoot;

  Helm(Path repoRoot) {
    this.repoRoot = repoRoot;
  }

  /** The repository root: charts/pom.xml passes it; from an IDE the module directory's parent. */
  static Path repoRoot() {
    String configured = System.getProperty("tollgate.repoRoot");
    Path root =
        (configured == null ? Path.of("..") : Path.of(configured)).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("charts/tollgate/Chart.yaml"))) {
      throw new IllegalStateException(
          "not the Tollgate repository root (no charts/tollgate/Chart.yaml): " + root);
    }
    return root;
  }

  Path chart() {
    return repoRoot.resolve("charts/tollgate");
  }

  Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(List.of(args));
    return exec(command, COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** Runs Helm and fails with its output when it fails. */
  String runOk(String... args) throws IOException, InterruptedException {
    Result result = run(args);
    if (!result.ok()) {
      throw new AssertionError(
          "helm "
              + String.join(" ", args)
              + " exited "
              + result.exitCode()
              + ":\n"
              + result.stderr()
              + result.stdout());
    }
    return result.stdout();
  }

  private synchronized Path binary() throws IOException, InterruptedException {
    if (binary == null) {
      Result installed =
          exec(
              List.of("bash", repoRoot.resolve("bin/tools/helm").toString()),
              INSTALL_TIMEOUT_MINUTES,
              TimeUnit.MINUTES);
      if (!installed.ok()) {
        throw new IllegalStateException(
            "bin/tools/helm failed (" + installed.exitCode() + "):\n" + installed.stderr());
      }
      binary = Path.of(installed.stdout().strip());
    }
    return binary;
  }

  private Result exec(List<String> command, long timeout, TimeUnit unit)
      throws IOException, InterruptedException {
    Path stdout = Files.createTempFile("helm", ".out");
    Path stderr = Files.createTempFile("helm", ".err");
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(repoRoot.toFile())
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!process.waitFor(timeout, unit)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(
            String.join(" ", command) + " did not finish within " + timeout + " " + unit);
      }
      return new Result(
          process.exitValue(),
          Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }
}
