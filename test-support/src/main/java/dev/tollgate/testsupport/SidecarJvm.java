package dev.tollgate.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code java} command of the decision point outside its image, as {@code bin/sidecar-jvm}
 * gives it: the Java 25 {@code java} and the flags of sidecar/jvm.options the webhook injects,
 * without the image's AOT cache. Tests and benchmarks that start the sidecar jar use it so that
 * what they measure is what the pods run.
 */
public final class SidecarJvm {

  private SidecarJvm() {}

  /** The words of the command, before {@code -jar}; fails with bin/sidecar-jvm's reason. */
  public static List<String> command(Path repoRoot) throws IOException {
    Process process =
        new ProcessBuilder(repoRoot.resolve("bin/sidecar-jvm").toString())
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String error = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (process.waitFor() != 0) {
        throw new IllegalStateException("bin/sidecar-jvm failed: " + error.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running bin/sidecar-jvm", e);
    }
    return output.lines().filter(line -> !line.isBlank()).toList();
  }
}
