package dev.tollgate.testsupport.monitoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own PromQL parser and engine, as {@code bin/tools/promql-check} builds them from the
 * Go module proxy: which expressions do not parse, which metric names and labels the others select,
 * and which alerts fire over given series.
 */
public final class PromqlCheck {

  /**
   * What the parser said, by the caller's name of each expression.
   *
   * @param errors why an expression does not parse
   * @param metrics the metric names each expression selects
   * @param labels for each expression and metric, the labels the expression relies on the metric
   *     having: those it matches on, groups by or joins on
   */
  public record Report(
      Map<String, String> errors,
      Map<String, List<String>> metrics,
      Map<String, Map<String, List<String>>> labels) {
    /** Every metric name any expression selects. */
    public Set<String> metricNames() {
      Set<String> names = new TreeSet<>();
      metrics.values().forEach(names::addAll);
      return names;
    }
  }

  /**
   * An alerting rule as the evaluator takes it.
   *
   * @param forDuration the rule's {@code for} (a Prometheus duration; empty fires at once)
   */
  public record AlertRule(String alert, String expr, @JsonProperty("for") String forDuration) {}

  /** One series, in Prometheus's expanding notation ({@code 0+1x20}, {@code _} for no sample). */
  public record Series(String series, String values) {}

  /** Series one {@code interval} apart from time 0, and the times at which to report what fires. */
  public record AlertCase(String name, String interval, List<Series> series, List<String> at) {}

  /** An alert firing at a time, with the labels its expression gave it. */
  public record Firing(String alert, Map<String, String> labels) {}

  private record Firings(Map<String, Map<String, List<Firing>>> firing) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  // A fresh machine builds the tool: module downloads and a Go build on 2 cores.
  private static final long BUILD_TIMEOUT_MINUTES = 15;

  private final Path repoRoot;

  public PromqlCheck(Path repoRoot) {
    this.repoRoot = repoRoot;
  }

  /** Parses every expression (name to PromQL); an unparsable one is in the report's errors. */
  public Report check(Map<String, String> expressions) throws IOException, InterruptedException {
    Path binary = binary();
    String output =
        run(List.of(binary.toString()), JSON.writeValueAsBytes(Map.of("exprs", expressions)), 1);
    return JSON.readValue(output, new TypeReference<Report>() {});
  }

  /**
   * Evaluates {@code rules} over each case's series as Prometheus's rule manager does (one
   * evaluation per interval from time 0; an alert fires once its series has been returned without a
   * gap for the rule's {@code for}), and returns what fires, by case name and time.
   */
  public Map<String, Map<String, List<Firing>>> alerts(List<AlertRule> rules, List<AlertCase> cases)
      throws IOException, InterruptedException {
    Path binary = binary();
    String output =
        run(
            List.of(binary.toString(), "alerts"),
            JSON.writeValueAsBytes(Map.of("rules", rules, "cases", cases)),
            0);
    return JSON.readValue(output, Firings.class).firing();
  }

  /** The tool, built first on a machine that has none. */
  private Path binary() throws IOException, InterruptedException {
    return Path.of(
        run(List.of(repoRoot.resolve("bin/tools/promql-check").toString()), null, 0).strip());
  }

  /** Runs a command to its end and returns its stdout; an exit above {@code maxExit} fails. */
  private String run(List<String> command, byte[] stdin, int maxExit)
      throws IOException, InterruptedException {
    Path input = Files.createTempFile("promql-check", ".in");
    Path stdout = Files.createTempFile("promql-check", ".out");
    Path stderr = Files.createTempFile("promql-check", ".err");
    try {
      Files.write(input, stdin == null ? new byte[0] : stdin);
      Process process =
          new ProcessBuilder(command)
              .directory(repoRoot.toFile())
              .redirectInput(input.toFile())
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile())
              .start();
      if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(
            command + " did not finish in " + BUILD_TIMEOUT_MINUTES + " min");
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
    } finally {
      Files.deleteIfExists(input);
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }
}
