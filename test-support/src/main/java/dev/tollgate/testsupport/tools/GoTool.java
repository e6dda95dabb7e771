package dev.tollgate.testsupport.tools;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    String path = run(List.of(builder.toString()), "", 0, BUILD_TIMEOUT);
    return new GoTool(Path.of(path.strip()));
  }

  /**
   * Runs the tool with {@code args}, {@code stdin} as its input, and returns its stdout.
   *
   * @throws IllegalStateException when it exits above {@code maxExit} (with its stderr)
   * @throws AssertionError when it does not finish within {@code timeout} (it is killed)
   */
  public String run(String stdin, int maxExit, Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    return run(command, stdin, maxExit, timeout);
  }

  private static String run(List<String> argv, String stdin, int maxExit, Duration timeout) {
    Command.Result result = new Command(argv, timeout, Map.of(), stdin).run();
    if (result.exitCode() > maxExit) {
      throw new IllegalStateException(result.describe());
    }
    return result.stdout();
  }
}
