package dev.tollgate.e2e;

import static dev.tollgate.e2e.TollgateCluster.AGENTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.BundleConfigMaps;
import dev.tollgate.api.v1alpha1.ToolPolicy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy propagation through the API: the real sidecar jar of an injected pod, following its
 * identity's bundle ConfigMap as the identity's service account (through the Role the operator
 * made), while its bundle file is never refreshed, as a kubelet that has not synced the volume yet
 * would leave it.
 */
@ExtendWith(TollgateClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BundleWatchIT {

  private static final Logger LOG = Logger.getLogger(BundleWatchIT.class.getName());
  private static final String POD = "watch-agent";
  private static final String POLICY = "e2e-bundle-watch";
  private static final String PROBE = "/workspace/bundle-watch-probe.txt";
  private static final String CONFIG_MAP = BundleConfigMaps.nameFor(AgentPods.IDENTITY);
  private static final Duration HOOK = Duration.ofSeconds(20);
  // Operator reconcile, ConfigMap write, watch event, reload: seconds, not the kubelet's minute.
  private static final Duration PROPAGATION = Duration.ofSeconds(10);

  @TempDir static Path dir;

  private static TollgateCluster cluster;
  private static KubernetesClient admin;
  private static Pod pod;
  private static SidecarProcess sidecar;
  private static String fileAtStart;

  @BeforeAll
  static void startAFollowingSidecar(TollgateCluster shared) throws Exception {
    cluster = shared;
    admin = cluster.admin();
    Examples.apply(cluster);
    pod = AgentPods.create(cluster, POD);
    // Outside a pod, auto would not follow the ConfigMap: the test process is not in a cluster.
    sidecar = SidecarProcess.start(cluster, pod, dir, "--bundle-watch", "on");
    fileAtStart = Files.readString(sidecar.bundleFile());
  }

  @AfterAll
  static void removeThePolicyAndStopTheSidecar() {
    if (admin != null) {
      admin.resources(ToolPolicy.class).inNamespace(AGENTS).withName(POLICY).delete();
    }
    if (sidecar != null) {
      sidecar.close();
    }
  }

  @Test
  @Order(1)
  void aNewPolicyIsEnforcedWithinSecondsThoughTheFileIsUnchanged() throws Exception {
    assertThat(readProbe()).isEqualTo("allow");
    Awaitility.await("the sidecar follows its ConfigMap")
        .atMost(Duration.ofSeconds(10))
        .until(() -> sidecar.logs().contains("following ConfigMap " + AGENTS + "/" + CONFIG_MAP));

    long started = System.nanoTime();
    Manifests.applyYaml(
        admin,
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: %s, namespace: %s}
        spec:
          agents: {names: [%s]}
          rules:
            - name: no-probe
              tools: [Read]
              when: "resource.path == '%s'"
              effect: Deny
              message: the probe file is off limits
        """
            .formatted(POLICY, AGENTS, AgentPods.IDENTITY, PROBE));
    awaitProbe("deny");
    LOG.info(
        String.format(
            "a new ToolPolicy was enforced %.2fs after it was applied",
            (System.nanoTime() - started) / 1e9));
    assertThat(sidecar.logs()).contains("in force, from ConfigMap " + AGENTS + "/" + CONFIG_MAP);

    admin.resources(ToolPolicy.class).inNamespace(AGENTS).withName(POLICY).delete();
    awaitProbe("allow");
    assertThat(Files.readString(sidecar.bundleFile())).isEqualTo(fileAtStart);
  }

  @Test
  @Order(2)
  void aDeletedConfigMapIsNotReadyWhileItsLastBundleKeepsDeciding() throws Exception {
    cluster.withoutOperator(
        () -> {
          admin.configMaps().inNamespace(AGENTS).withName(CONFIG_MAP).delete();

          HttpResponse<String> ready =
              Awaitility.await("the sidecar is not ready without its ConfigMap")
                  .atMost(PROPAGATION)
                  .pollInterval(Duration.ofMillis(100))
                  .ignoreExceptions()
                  .until(() -> sidecar.getWithBody("/readyz"), r -> r.statusCode() == 503);
          assertThat(ready.body())
              .contains("ConfigMap " + AGENTS + "/" + CONFIG_MAP + " was deleted")
              .contains("keeping revision ");
          assertThat(readProbe()).as("the last bundle still allows").isEqualTo("allow");
          assertThat(decision("toolu_01WatchDotenv", "/workspace/.env"))
              .as("and still denies")
              .isEqualTo("deny");
        });
    // The restarted operator publishes the bundle again: ready again.
    Awaitility.await("the sidecar is ready once the ConfigMap is back")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> sidecar.get("/readyz") == 200);
    assertThat(Files.readString(sidecar.bundleFile())).isEqualTo(fileAtStart);
  }

  private static void awaitProbe(String expected) {
    Awaitility.await("Read of " + PROBE + " is " + expected)
        .atMost(PROPAGATION)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> readProbe().equals(expected));
  }

  private static String readProbe() {
    return decision("toolu_01WatchProbe", PROBE);
  }

  private static String decision(String toolUseId, String path) {
    HookProcess.Result result =
        HookProcess.run(
            cluster,
            pod,
            sidecar,
            dir,
            HookInputs.pre(toolUseId, "Read", Map.of("file_path", path)),
            HOOK);
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    return result.decision();
  }
}
