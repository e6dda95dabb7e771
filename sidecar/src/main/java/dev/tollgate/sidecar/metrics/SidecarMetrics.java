package dev.tollgate.sidecar.metrics;

import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.Reason;
import dev.tollgate.sidecar.audit.export.ExportMeter;
import dev.tollgate.sidecar.audit.export.ExportMeter.Failure;
import dev.tollgate.sidecar.gate.egress.EgressMeter;
import dev.tollgate.sidecar.policy.BundleSource;
import dev.tollgate.sidecar.policy.ReloadListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sidecar's Prometheus metrics. Tool names become a label only when they are in scope, and only
 * up to a bound, so an agent inventing tool names cannot blow up the series count.
 */
public final class SidecarMetrics implements ReloadListener, EgressMeter, ExportMeter {

  private static final int MAX_TOOL_LABELS = 200;
  private static final String OTHER_TOOL = "_other";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer latency;
  private final Counter reloads;
  private final Counter reloadFailures;
  private final Counter auditWriteFailures;
  private final Counter auditBackpressure;
  private final Counter eventFailures;
  private final Counter badRequests;
  private final Counter unmatchedOutcomes;
  private final Set<String> toolLabels = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Counter> decisionCounters = new ConcurrentHashMap<>();
  private final AtomicReference<String> revision = new AtomicReference<>("");
  private final MultiGauge bundleInfo;
  private final ConcurrentHashMap<String, Counter> egressConnections = new ConcurrentHashMap<>();
  private final AtomicInteger egressTunnels = new AtomicInteger();
  private final Counter egressUpstream;
  private final Counter egressDownstream;
  private final Counter auditExported;
  private final ConcurrentHashMap<Failure, Counter> auditExportFailures = new ConcurrentHashMap<>();

  public SidecarMetrics() {
    latency =
        Timer.builder("tollgate.decision.latency")
            .description("Time to decide one tool call")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(1_000))
            .maximumExpectedValue(Duration.ofMillis(100))
            .register(registry);
    reloads =
        Counter.builder("tollgate.bundle.reloads").description("Bundles loaded").register(registry);
    reloadFailures =
        Counter.builder("tollgate.bundle.reload.failures")
            .description("Bundle files that could not be loaded (the last good bundle stays)")
            .register(registry);
    auditWriteFailures =
        Counter.builder("tollgate.audit.write.failures")
            .description("Audit events that could not be written")
            .register(registry);
    auditBackpressure =
        Counter.builder("tollgate.audit.backpressure")
            .description(
                "Decisions that waited for room in the audit queue (the audit stream is slower than the calls)")
            .register(registry);
    eventFailures =
        Counter.builder("tollgate.kubernetes.event.failures")
            .description(
                "Kubernetes Events that could not be published or were dropped by rate limiting")
            .register(registry);
    unmatchedOutcomes =
        Counter.builder("tollgate.outcomes.unmatched")
            .description(
                "Executed or failed reports for which this sidecar allowed no call (another process may have posted them)")
            .register(registry);
    badRequests =
        Counter.builder("tollgate.bad.requests")
            .description("Requests refused as malformed, oversized or of an unknown kind")
            .register(registry);
    bundleInfo =
        MultiGauge.builder("tollgate.bundle.info")
            .description("The bundle revision in force (value 1), absent without a bundle")
            .register(registry);
    Gauge.builder("tollgate.bundle.loaded", revision, r -> r.get().isEmpty() ? 0 : 1)
        .description("1 when a valid bundle is loaded")
        .register(registry);
    Gauge.builder("tollgate.egress.tunnels.open", egressTunnels, AtomicInteger::get)
        .description("Egress tunnels being relayed now")
        .register(registry);
    auditExported =
        Counter.builder("tollgate.audit.export.sent")
            .description("Audit records the export delivered to its receiver")
            .register(registry);
    for (Failure reason : Failure.values()) {
      auditExportFailures.put(
          reason,
          Counter.builder("tollgate.audit.export.failures")
              .description(
                  "Audit records the export could not deliver, by reason (stdout still has them)")
              .tags("reason", reason.wireName)
              .register(registry));
    }
    egressUpstream = egressBytes("upstream", "Bytes the egress gate wrote to destinations");
    egressDownstream = egressBytes("downstream", "Bytes the egress gate wrote back to the agent");
  }

  private Counter egressBytes(String direction, String description) {
    return Counter.builder("tollgate.egress.bytes")
        .description(description)
        .baseUnit("bytes")
        .tags("direction", direction)
        .register(registry);
  }

  /**
   * Counts one egress connection's set-up. {@code reason} is a reason code from a fixed set (the
   * gate's own or a decision's), never a destination, so the series stay few.
   */
  @Override
  public void connection(EgressMeter.Outcome outcome, String reason) {
    egressConnections
        .computeIfAbsent(
            outcome.wireName + "|" + reason,
            k ->
                Counter.builder("tollgate.egress.connections")
                    .description("Egress connections by how their set-up ended, and why")
                    .tags("outcome", outcome.wireName, "reason", reason)
                    .register(registry))
        .increment();
  }

  @Override
  public void tunnelOpened() {
    egressTunnels.incrementAndGet();
  }

  @Override
  public void tunnelClosed() {
    egressTunnels.decrementAndGet();
  }

  @Override
  public void relayedUpstream(long bytes) {
    egressUpstream.increment(bytes);
  }

  @Override
  public void relayedDownstream(long bytes) {
    egressDownstream.increment(bytes);
  }

  public void recordUnmatchedOutcome() {
    unmatchedOutcomes.increment();
  }

  public void recordBadRequest() {
    badRequests.increment();
  }

  public void auditWriteFailed() {
    auditWriteFailures.increment();
  }

  public void auditQueueFull() {
    auditBackpressure.increment();
  }

  @Override
  public void exported(int records) {
    auditExported.increment(records);
  }

  @Override
  public void undeliverable(Failure reason, int records) {
    auditExportFailures.get(reason).increment(records);
  }

  public void eventFailed() {
    eventFailures.increment();
  }

  @Override
  public void reloaded(String newRevision, BundleSource source) {
    reloads.increment();
    revision.set(newRevision);
    bundleInfo.register(List.of(MultiGauge.Row.of(Tags.of("revision", newRevision), 1)), true);
  }

  @Override
  public void reloadFailed(String reason) {
    reloadFailures.increment();
  }

  public String scrape() {
    return registry.scrape();
  }

  /** The label for a tool name, given whether the decision found it in scope. */
  private String toolLabel(String tool, Decision decision) {
    Decision basis = decision.wouldDecide() != null ? decision.wouldDecide() : decision;
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

  /**
   * Records a decision for a tool (the label is bounded, see {@link #toolLabel(String, Decision)}).
   */
  public void recordDecision(String tool, Decision decision, long nanos) {
    latency.record(nanos, TimeUnit.NANOSECONDS);
    String label = toolLabel(tool, decision);
    String key = decision.outcome().wireName() + "|" + label;
    decisionCounters
        .computeIfAbsent(
            key,
            k ->
                Counter.builder("tollgate.decisions")
                    .description("Decisions by enforced decision and tool")
                    .tags("decision", decision.outcome().wireName(), "tool", label)
                    .register(registry))
        .increment();
  }
}
