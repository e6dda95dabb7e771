package dev.tollgate.webhook;

import dev.tollgate.runtime.metrics.ProcessMeters;
import dev.tollgate.webhook.http.AdmissionObserver;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;

/** Admission requests by webhook and outcome, with their latency. */
final class WebhookMetrics implements AdmissionObserver {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Override
  public void observe(String path, String outcome, long nanos) {
    Timer.builder("tollgate.admission.requests")
        .description("Admission requests by webhook path and outcome")
        .tag("webhook", path)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Adds the JVM's and the process's meters: the process serving them needs them. */
  void bindJvmAndProcess() {
    ProcessMeters.bindTo(registry);
  }

  String scrape() {
    return registry.scrape();
  }
}
