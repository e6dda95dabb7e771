package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the shaded jar as users do ({@code java -jar}): catches what in-process tests cannot
 * (manifest, merged services).
 */
class TollgateJarIT {

  private static final Path JAR = Path.of("target", "tollgate.jar");

  @Test
  void validatesTheExamples() throws Exception {
    Result result = java("validate", "-f", "../examples");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("valid: 2 AgentIdentity, 5 ToolScope, 10 ToolPolicy");
  }

  @Test
  void runsTheExampleTests() throws Exception {
    Result result = java("test", "-f", "../examples");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).containsPattern("(?m)^[1-9][0-9]* passed, 0 failed$");
  }

  @Test
  void reportsAUserErrorWithoutAStackTrace() throws Exception {
    Result result = java("validate", "-f", "../examples/does-not-exist");

    assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(result.err()).isEqualTo("../examples/does-not-exist: no such file or directory\n");
  }

  private static Result java(String... args) throws Exception {
    assumeThat(JAR).as("run 'mvn -pl cli package' first").exists();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("tollgate-out", ".txt");
    Path err = Files.createTempFile("tollgate-err", ".txt");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("tollgate finished").isTrue();
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private record Result(int exitCode, String out, String err) {}
}
