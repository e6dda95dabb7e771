package dev.tollgate.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionWarmupTest {

  @Test
  void replaysTheBuiltInReviewThroughTheInjectionPath() throws Exception {
    WebhookConfig config =
        WebhookConfig.from(
            Map.of(),
            new String[] {
              "--tls",
              "files",
              "--cert-dir",
              "/tmp",
              "--namespace",
              "tollgate-system",
              "--sidecar-image",
              "tollgate/sidecar:test"
            });
    AdmissionWarmup.Result result = AdmissionWarmup.run(config, true, 20, Duration.ofSeconds(30));
    assertThat(result.rounds()).isEqualTo(20);
    assertThat(result.firstOutcome())
        .as("the built-in pod is injected, so the whole path runs")
        .isEqualTo("patched");
  }

  @Test
  void stopsAtItsBudget() throws Exception {
    WebhookConfig config =
        WebhookConfig.from(
            Map.of(),
            new String[] {
              "--tls",
              "files",
              "--cert-dir",
              "/tmp",
              "--namespace",
              "tollgate-system",
              "--sidecar-image",
              "tollgate/sidecar:test"
            });
    assertThat(AdmissionWarmup.run(config, false, 1_000_000, Duration.ofMillis(200)).rounds())
        .isLessThan(1_000_000);
  }
}
