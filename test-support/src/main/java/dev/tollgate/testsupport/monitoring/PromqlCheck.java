package dev.tollgate.testsupport.monitoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testsupport.tools.GoTool;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

  private final GoTool tool;

  /** Builds the tool on a machine that has none. */
  public PromqlCheck(Path repoRoot) {
    this.tool = GoTool.build(repoRoot, "promql-check");
  }

  /** Parses every expression (name to PromQL); an unparsable one is in the report's errors. */
  public Report check(Map<String, String> expressions) throws IOException {
    String output = tool.run(JSON.writeValueAsString(Map.of("exprs", expressions)), 1, RUN_TIMEOUT);
    return JSON.readValue(output, new TypeReference<Report>() {});
  }

  /**
   * Evaluates {@code rules} over each case's series as Prometheus's rule manager does (one
   * evaluation per interval from time 0; an alert fires once its series has been returned without a
   * gap for the rule's {@code for}), and returns what fires, by case name and time.
   */
  public Map<String, Map<String, List<Firing>>> alerts(List<AlertRule> rules, List<AlertCase> cases)
      throws IOException {
    String output =
        tool.run(
            JSON.writeValueAsString(Map.of("rules", rules, "cases", cases)),
            0,
            RUN_TIMEOUT,
            "alerts");
    return JSON.readValue(output, Firings.class).firing();
  }
}
