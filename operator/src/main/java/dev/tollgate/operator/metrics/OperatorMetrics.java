package dev.tollgate.operator.metrics;

import dev.tollgate.operator.identity.BundleMetrics;
import dev.tollgate.runtime.metrics.ProcessMeters;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The operator's Prometheus metrics: JOSDK's own reconcile metrics (its Micrometer integration, per
 * controller, without per-resource series whose count would grow with the cluster), the size of
 * compiled bundles, and the JVM's and process's meters.
 */
public final class OperatorMetrics implements BundleMetrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MicrometerMetrics reconciles =
      MicrometerMetrics.withoutPerResourceMetrics(registry);
  private final DistributionSummary bundleBytes =
      DistributionSummary.builder("tollgate.bundle.size")
          .description("Size of compiled bundles")
          .baseUnit("bytes")
          .register(registry);

  /** What JOSDK reports reconciles to. */
  public Metrics reconciles() {
    return reconciles;
  }

  @Override
  public void bundleCompiled(int bytes) {
    bundleBytes.record(bytes);
  }

  /** Adds the JVM's and the process's meters: the process serving them needs them, tests do not. */
  public void bindJvmAndProcess() {
    ProcessMeters.bindTo(registry);
  }

  public String scrape() {
    return registry.scrape();
  }
}
