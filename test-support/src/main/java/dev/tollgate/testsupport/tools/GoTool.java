package dev.tollgate.testsupport.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of the small Go programs under {@code tools/} that wrap an upstream library the tests judge
 * Tollgate by (Prometheus's PromQL engine, Flux's kstatus, Argo CD's Lua interpreter), as its
 * {@code bin/tools/} script builds it from the Go module proxy: found, or built once per machine,
 * then run with the caller's input on stdin.
 */
public final class GoTool {

  // A fresh machine builds the tool: module downloads and a Go build on 2 cores.
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);

  private final Path binary;

  private GoTool(Path binary) {
    this.binary = binary;
  }

  /** The tool that {@code bin/tools/<script>} prints, building it first if need be. */
  public static GoTool build(Path repoRoot, String script) {
    Path builder = repoRoot.resolve("bin/tools").resolve(script);
    String path = run(List.of(builder.toString()), new byte[0], 0, BUILD_TIMEOUT);
    return new GoTool(Path.of(path.strip()));
  }

  /**
   * Runs the tool with {@code args}, {@code stdin} as its input, and returns its stdout.
   *
   * @throws IllegalStateException when it exits above {@code maxExit} (with its stderr) or does not
   *     finish within {@code timeout} (it is killed)
   */
  public String run(byte[] stdin, int maxExit, Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    return run(command, stdin, maxExit, timeout);
  }

  /** As {@link #run(byte[], int, Duration, String...)}, with UTF-8 text on stdin. */
  public String run(String stdin, int maxExit, Duration timeout, String... args) {
    return run(stdin.getBytes(StandardCharsets.UTF_8), maxExit, timeout, args);
  }

  private static String run(List<String> command, byte[] stdin, int maxExit, Duration timeout) {
    Path input = null;
    Path stdout = null;
    Path stderr = null;
    try {
      input = Files.createTempFile("go-tool", ".in");
      stdout = Files.createTempFile("go-tool", ".out");
      stderr = Files.createTempFile("go-tool", ".err");
      Files.write(input, stdin);
      Process process =
          new ProcessBuilder(command)
              .redirectInput(input.toFile())
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile())
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(command + " did not finish within " + timeout);
      }
      if (process.exitValue() > maxExit) {
        throw new IllegalStateException(
            command
                + " exited "
                + process.exitValue()
                + ": "
                + Files.readString(stderr, StandardCharsets.UTF_8));
      }
      return Files.readString(stdout, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } finally {
      delete(input);
      delete(stdout);
      delete(stderr);
    }
  }

  private static void delete(Path file) {
    if (file != null) {
      file.toFile().delete();
    }
  }
}
