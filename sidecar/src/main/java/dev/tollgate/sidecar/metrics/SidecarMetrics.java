package dev.tollgate.sidecar.metrics;

import dev.tollgate.engine.decision.Decision;
import dev.tollgate.runtime.metrics.ProcessMeters;
import dev.tollgate.sidecar.audit.export.ExportMeter;
import dev.tollgate.sidecar.audit.export.ExportMeter.Failure;
import dev.tollgate.sidecar.gate.egress.EgressMeter;
import dev.tollgate.sidecar.gate.mcp.McpUpstreamMeter;
import dev.tollgate.sidecar.policy.BundleSource;
import dev.tollgate.sidecar.policy.ReloadListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sidecar's Prometheus metrics: decisions ({@link DecisionMeter}), approvals ({@link
 * ApprovalMeter}), the bundle, audit and its export, Kubernetes Events, the egress and MCP gates,
 * and the JVM. Every label comes from a bounded set.
 */
public final class SidecarMetrics
    implements ReloadListener, EgressMeter, McpUpstreamMeter, ExportMeter {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final DecisionMeter decisions;
  private final ApprovalMeter approvals;
  private final ConcurrentHashMap<String, Timer> mcpUpstream = new ConcurrentHashMap<>();
  // System.nanoTime() when the bundle in force was loaded; 0 without one.
  private final AtomicLong loadedAt = new AtomicLong();
  private final Counter reloads;
  private final Counter reloadFailures;
  private final Counter auditWriteFailures;
  private final Counter auditBackpressure;
  private final Counter eventFailures;
  private final Counter badRequests;
  private final Counter unmatchedOutcomes;
  private final AtomicReference<String> revision = new AtomicReference<>("");
  private final MultiGauge bundleInfo;
  private final ConcurrentHashMap<String, Counter> egressConnections = new ConcurrentHashMap<>();
  private final AtomicInteger egressTunnels = new AtomicInteger();
  private final Counter egressUpstream;
  private final Counter egressDownstream;
  private final Counter auditExported;
  private final ConcurrentHashMap<Failure, Counter> auditExportFailures = new ConcurrentHashMap<>();

  public SidecarMetrics() {
    decisions = new DecisionMeter(registry);
    approvals = new ApprovalMeter(registry);
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
    TimeGauge.builder(
            "tollgate.bundle.age", loadedAt, TimeUnit.NANOSECONDS, SidecarMetrics::sinceLoaded)
        .description("Time since the bundle in force was loaded (NaN without one)")
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

  private static double sinceLoaded(AtomicLong loadedAt) {
    long at = loadedAt.get();
    return at == 0 ? Double.NaN : System.nanoTime() - at;
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
    loadedAt.set(Math.max(1, System.nanoTime()));
    bundleInfo.register(List.of(MultiGauge.Row.of(Tags.of("revision", newRevision), 1)), true);
  }

  @Override
  public void reloadFailed(String reason) {
    reloadFailures.increment();
  }

  public String scrape() {
    return registry.scrape();
  }

  /**
   * Records a decision taken for a call that came through {@code source} (the tool label is
   * bounded, see {@link DecisionMeter}).
   */
  public void recordDecision(String source, String tool, Decision decision, long nanos) {
    decisions.record(source, tool, decision, nanos);
  }

  /** The approval queue's meters. */
  public ApprovalMeter approvals() {
    return approvals;
  }

  @Override
  public void upstreamRequest(String server, String outcome, long nanos) {
    mcpUpstream
        .computeIfAbsent(
            server + "|" + outcome,
            k ->
                Timer.builder("tollgate.mcp.upstream.requests")
                    .description(
                        "Requests to MCP servers by server and outcome (ok, http_4xx, http_5xx,"
                            + " connect_timeout, timeout, refused, io_error), to the response's"
                            + " headers")
                    .tags("server", server, "outcome", outcome)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(60))
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Adds the JVM's and the process's meters (memory, GC, threads, classes, CPU, open files,
   * uptime): the process that serves them, not unit tests, needs them.
   */
  public void bindJvmAndProcess() {
    ProcessMeters.bindTo(registry);
  }
}
