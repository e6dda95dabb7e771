package dev.tollgate.sidecar.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.ConfigException;
import dev.tollgate.sidecar.SidecarConfig;
import dev.tollgate.sidecar.SidecarConfig.KubernetesMode;
import dev.tollgate.sidecar.metrics.SidecarMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesEventsTest {

  @TempDir
  Path dir;

  private final Map<String, String> inCluster = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1");

  @Test
  void autoPublishesOnlyInsideACluster() throws IOException {
    Path token = Files.writeString(dir.resolve("token"), "t");
    Path noToken = dir.resolve("absent");

    assertThat(KubernetesEvents.enabled(KubernetesMode.AUTO, inCluster, token)).isTrue();
    assertThat(KubernetesEvents.enabled(KubernetesMode.AUTO, inCluster, noToken)).isFalse();
    assertThat(KubernetesEvents.enabled(KubernetesMode.AUTO, Map.of(), token)).isFalse();
    assertThat(KubernetesEvents.enabled(KubernetesMode.AUTO, Map.of("KUBERNETES_SERVICE_HOST", " "), token)).isFalse();
    assertThat(KubernetesEvents.enabled(KubernetesMode.ON, Map.of(), noToken)).isTrue();
    assertThat(KubernetesEvents.enabled(KubernetesMode.OFF, inCluster, token)).isFalse();
  }

  @Test
  void offGivesAPublisherThatDoesNothing() throws ConfigException {
    DenialPublisher publisher = KubernetesEvents.create(config("off", "agent-7"), new SidecarMetrics(), inCluster, dir);
    assertThat(publisher).isSameAs(DenialPublisher.none());
    publisher.accept(TestEvents.denial("Bash", "r1"));
    publisher.close();
  }

  @Test
  void withoutThePodNameThereIsNothingToPublishOn() throws ConfigException {
    assertThat(KubernetesEvents.create(config("on", ""), new SidecarMetrics(), Map.of(), dir))
        .isSameAs(DenialPublisher.none());
  }

  @Test
  void onGivesAPublisherThatStartsWithoutAClientAndClosesPromptly() throws ConfigException {
    DenialPublisher publisher = KubernetesEvents.create(config("on", "agent-7"), new SidecarMetrics(),
        Map.of(KubernetesEvents.POD_UID, "uid-7"), dir);
    assertThat(publisher).isInstanceOf(KubernetesEventPublisher.class);
    long start = System.nanoTime();
    publisher.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
  }

  private static SidecarConfig config(String events, String pod) throws ConfigException {
    Map<String, String> env = new HashMap<>();
    env.put(SidecarConfig.Env.BUNDLE, "/etc/tollgate/bundle.json");
    env.put(SidecarConfig.Env.EVENTS, events);
    env.put(SidecarConfig.Env.POD_NAME, pod);
    env.put(SidecarConfig.Env.POD_NAMESPACE, "team-a");
    return SidecarConfig.from(env, new String[0]);
  }
}
