package dev.tollgate.sidecar.metrics;

import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.decision.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Decisions by what was enforced, why, through which door, in which mode and for which tool, and
 * how long deciding took. Every label comes from a fixed set except the tool, which is a label only
 * when the decision found it in scope and only up to a bound: an agent inventing tool names cannot
 * blow up the series count.
 */
final class DecisionMeter {

  static final int MAX_TOOL_LABELS = 200;
  static final String OTHER_TOOL = "_other";
  static final int MAX_RULE_LABELS = 500;
  static final String OTHER_RULE = "_other";

  private final MeterRegistry registry;
  private final Timer latency;
  private final Set<String> toolLabels = ConcurrentHashMap.newKeySet();
  private final Set<String> ruleLabels = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> ruleDenials = new ConcurrentHashMap<>();

  DecisionMeter(MeterRegistry registry) {
    this.registry = registry;
    this.latency =
        Timer.builder("tollgate.decision.latency")
            .description("Time to decide one tool call")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(1_000))
            .maximumExpectedValue(Duration.ofMillis(100))
            .register(registry);
  }

  /**
   * @param source the door the call came through (a gate's constant, e.g. claude-code-hook, mcp)
   */
  void record(String source, String tool, Decision decision, long nanos) {
    latency.record(nanos, TimeUnit.NANOSECONDS);
    // In Audit mode the enforced decision is allow; the reason worth counting is the would-be one.
    Decision basis = decision.wouldDecide() != null ? decision.wouldDecide() : decision;
    String reason = basis.reasons().isEmpty() ? "None" : basis.reasons().get(0).name();
    String mode = decision.wouldDecide() != null ? "audit" : "enforce";
    String outcome = decision.outcome().wireName();
    String label = toolLabel(tool, basis);
    String key = String.join("|", outcome, reason, source, mode, label);
    counters
        .computeIfAbsent(
            key,
            k ->
                Counter.builder("tollgate.decisions")
                    .description(
                        "Decisions by enforced decision, deciding reason, door (source), mode"
                            + " (audit: let through by Audit mode) and tool")
                    .tags(
                        "decision", outcome,
                        "reason", reason,
                        "source", source,
                        "mode", mode,
                        "tool", label)
                    .register(registry))
        .increment();
    if (basis.outcome() == Outcome.DENY && !basis.rules().isEmpty()) {
      countRuleDenial(basis.rules().get(0), mode);
    }
  }

  // Rules come from the bundle, which the platform team writes, but a bundle may hold thousands:
  // the label is bounded as tools are.
  private void countRuleDenial(String rule, String mode) {
    String label =
        ruleLabels.contains(rule) || (ruleLabels.size() < MAX_RULE_LABELS && ruleLabels.add(rule))
            ? rule
            : OTHER_RULE;
    ruleDenials
        .computeIfAbsent(
            label + "|" + mode,
            k ->
                Counter.builder("tollgate.rule.denials")
                    .description(
                        "Calls denied by a rule (namespace/policy/rule), in Enforce or, as would-be"
                            + " denials, in Audit mode")
                    .tags("rule", label, "mode", mode)
                    .register(registry))
        .increment();
  }

  private String toolLabel(String tool, Decision basis) {
    boolean unknown =
        basis.reasons().contains(Reason.OutOfScope) || basis.reasons().contains(Reason.BadRequest);
    if (unknown || tool == null) {
      return OTHER_TOOL;
    }
    if (toolLabels.contains(tool)
        || (toolLabels.size() < MAX_TOOL_LABELS && toolLabels.add(tool))) {
      return tool;
    }
    return OTHER_TOOL;
  }
}
