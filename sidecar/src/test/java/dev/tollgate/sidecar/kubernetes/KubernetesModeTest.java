package dev.tollgate.sidecar.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesModeTest {

  @TempDir Path dir;

  private final Map<String, String> inCluster = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1");

  @Test
  void autoIsActiveOnlyInsideACluster() throws IOException {
    Path token = Files.writeString(dir.resolve("token"), "t");
    Path noToken = dir.resolve("absent");

    assertThat(KubernetesMode.AUTO.active(inCluster, token)).isTrue();
    assertThat(KubernetesMode.AUTO.active(inCluster, noToken)).isFalse();
    assertThat(KubernetesMode.AUTO.active(Map.of(), token)).isFalse();
    assertThat(KubernetesMode.AUTO.active(Map.of("KUBERNETES_SERVICE_HOST", " "), token)).isFalse();
    assertThat(KubernetesMode.ON.active(Map.of(), noToken)).isTrue();
    assertThat(KubernetesMode.OFF.active(inCluster, token)).isFalse();
  }
}
