package dev.tollgate.operator.metrics;

import dev.tollgate.operator.identity.BundleMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;

/**
 * The operator's Prometheus metrics: reconciles, failures and durations per controller (fed by
 * JOSDK through its {@link Metrics} hooks) and the size of compiled bundles.
 */
public final class OperatorMetrics implements Metrics, BundleMetrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final DistributionSummary bundleBytes =
      DistributionSummary.builder("tollgate.bundle.size")
          .description("Size of compiled bundles")
          .baseUnit("bytes")
          .register(registry);

  @Override
  public void reconcileCustomResource(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    Counter.builder("tollgate.operator.reconciles")
        .description("Reconciles started")
        .tag("kind", resource.getKind())
        .register(registry)
        .increment();
  }

  @Override
  public void failedReconciliation(
      HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    Counter.builder("tollgate.operator.reconcile.failures")
        .description("Reconciles that threw")
        .tag("kind", resource.getKind())
        .tag("exception", exception.getClass().getSimpleName())
        .register(registry)
        .increment();
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    Timer.Sample sample = Timer.start(registry);
    String result = "failure";
    try {
      T outcome = execution.execute();
      result = execution.successTypeName(outcome);
      return outcome;
    } finally {
      sample.stop(
          Timer.builder("tollgate.operator.reconcile.duration")
              .description("Time spent in reconcile and cleanup")
              .tag("controller", execution.controllerName())
              .tag("execution", execution.name())
              .tag("result", result)
              .publishPercentileHistogram()
              .register(registry));
    }
  }

  @Override
  public void bundleCompiled(int bytes) {
    bundleBytes.record(bytes);
  }

  public String scrape() {
    return registry.scrape();
  }
}
