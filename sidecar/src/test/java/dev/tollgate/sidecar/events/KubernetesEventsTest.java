package dev.tollgate.sidecar.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.SidecarContract.SidecarEnv;
import dev.tollgate.sidecar.ConfigException;
import dev.tollgate.sidecar.SidecarConfig;
import dev.tollgate.sidecar.metrics.SidecarMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesEventsTest {

  @TempDir Path dir;

  private final Map<String, String> inCluster = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1");

  @Test
  void offGivesAPublisherThatDoesNothing() throws ConfigException {
    SidecarConfig config = config("off", "agent-7");
    DenialPublisher publisher =
        KubernetesEvents.create(
            config.events(), config.pod(), new SidecarMetrics(), inCluster, dir);
    assertThat(publisher).isSameAs(DenialPublisher.none());
    publisher.accept(TestEvents.denial("Bash", "r1"));
    publisher.close();
  }

  @Test
  void withoutThePodNameThereIsNothingToPublishOn() throws ConfigException {
    SidecarConfig config = config("on", "");
    assertThat(
            KubernetesEvents.create(
                config.events(), config.pod(), new SidecarMetrics(), Map.of(), dir))
        .isSameAs(DenialPublisher.none());
  }

  @Test
  void onGivesAPublisherThatStartsWithoutAClientAndClosesPromptly() throws ConfigException {
    SidecarConfig config = config("on", "agent-7");
    DenialPublisher publisher =
        KubernetesEvents.create(config.events(), config.pod(), new SidecarMetrics(), Map.of(), dir);
    assertThat(publisher).isInstanceOf(KubernetesEventPublisher.class);
    long start = System.nanoTime();
    publisher.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
  }

  private static SidecarConfig config(String events, String pod) throws ConfigException {
    Map<String, String> env = new HashMap<>();
    env.put(SidecarEnv.BUNDLE, "/etc/tollgate/bundle.json");
    env.put(SidecarEnv.EVENTS, events);
    env.put(SidecarEnv.POD_NAME, pod);
    env.put(SidecarEnv.POD_NAMESPACE, "team-a");
    env.put(SidecarEnv.POD_UID, "uid-7");
    return SidecarConfig.from(env, new String[0]);
  }
}
