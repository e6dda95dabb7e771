package dev.tollgate.sidecar.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The API server hangs or is gone: the decision path must not notice, and nothing is lost silently.
 */
class ApiServerOutageTest {

  private static final int DENIALS = 10_000;
  private final PodReference pod = new PodReference("agent-7", "team-a", "");
  private final AtomicInteger failures = new AtomicInteger();

  @Test
  void acceptNeverWaitsForAnApiServerThatDoesNotAnswer() throws IOException {
    // Bound but never accepting: connections sit in the backlog and requests get no answer.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      floodThenClose(client(silent.getLocalPort(), Duration.ofSeconds(30)));
    }
  }

  @Test
  void acceptNeverWaitsForAnApiServerThatIsGone() throws IOException {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    floodThenClose(client(port, Duration.ofMillis(300)));
  }

  private void floodThenClose(KubernetesClient client) {
    KubernetesEventPublisher publisher =
        new KubernetesEventPublisher(
            () -> client, pod, Clock.systemUTC(), failures::incrementAndGet);

    long start = System.nanoTime();
    for (int i = 0; i < DENIALS; i++) {
      publisher.accept(TestEvents.denial("tool-" + (i % 100), "r1"));
    }
    Duration accepting = Duration.ofNanos(System.nanoTime() - start);

    assertThat(accepting).isLessThan(Duration.ofMillis(500));
    // The queue holds 1,000; what did not fit is counted at once, on the caller's thread.
    assertThat(failures.get())
        .isGreaterThanOrEqualTo(DENIALS - KubernetesEventPublisher.QUEUE_CAPACITY - 1);

    long closing = System.nanoTime();
    publisher.close();
    assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofMillis(2_000));
    // Every denial is accounted for: none was published, so each one is a counted failure.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(failures).hasValue(DENIALS));
  }

  private static KubernetesClient client(int port, Duration requestTimeout) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("http://127.0.0.1:" + port)
            .withNamespace("team-a")
            .withConnectionTimeout(300)
            .withRequestTimeout((int) requestTimeout.toMillis())
            .withRequestRetryBackoffLimit(0)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
