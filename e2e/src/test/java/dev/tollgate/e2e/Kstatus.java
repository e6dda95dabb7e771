package dev.tollgate.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What Flux concludes about an object: the status that the kstatus library (sigs.k8s.io/cli-utils,
 * the one Flux's health checks and kpt use) computes, through {@code bin/tools/kstatus}, which
 * builds the small Go program {@code bin/tools/kstatus-check} once per machine.
 */
final class Kstatus {

  /** kstatus's verdict and its message. */
  record Verdict(String status, String message) {}

  private final Path binary;

  private Kstatus(Path binary) {
    this.binary = binary;
  }

  static Kstatus build(Path repoRoot) {
    // A cold build downloads the Go modules and compiles for a minute or two on two cores.
    String path =
        run(List.of(repoRoot.resolve("bin/tools/kstatus").toString()), "", Duration.ofMinutes(5));
    return new Kstatus(Path.of(path.strip()));
  }

  Verdict of(HasMetadata object) {
    String line =
        run(List.of(binary.toString()), Serialization.asJson(object), Duration.ofSeconds(30))
            .strip();
    int tab = line.indexOf('\t');
    return tab < 0
        ? new Verdict(line, "")
        : new Verdict(line.substring(0, tab), line.substring(tab + 1));
  }

  private static String run(List<String> command, String stdin, Duration timeout) {
    Path out = null;
    try {
      out = Files.createTempFile("kstatus", ".out");
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        SidecarProcess.stop(process);
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue());
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (out != null) {
        out.toFile().delete();
      }
    }
  }
}
