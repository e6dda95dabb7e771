package dev.tollgate.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.api.BundleConfigMaps;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar following its bundle ConfigMap through the API (a CRUD mock server) while the file
 * stays as it was: the kubelet's copy lags by up to a minute.
 */
@EnableKubernetesMockClient(crud = true)
class BundleConfigMapWatchTest {

  private static final String HOOK = "/v1/hooks/claude-code";
  private static final String NAME = BundleConfigMaps.nameFor("coder");
  private static final String RM =
      SidecarFixture.preToolUse("Bash", "{\"command\":\"rm -rf build\"}", "t-rm");
  private static final String RELAXED =
      SidecarFixture.bundle(
          SidecarFixture.POLICIES
              .replace("MODE", "Enforce")
              .replace("resource.program == 'rm'", "resource.program == 'shred'"));

  KubernetesClient client;
  @TempDir Path dir;
  private SidecarFixture sidecar;
  private String fileContent;

  @BeforeEach
  void start() throws Exception {
    sidecar = SidecarFixture.start(dir, "Enforce", "--identity", "team-a/coder");
    fileContent = Files.readString(sidecar.bundleFile);
  }

  @AfterEach
  void stop() throws Exception {
    // Never touched: everything above came through the API.
    assertThat(Files.readString(sidecar.bundleFile)).isEqualTo(fileContent);
    sidecar.close();
  }

  @Test
  void aChangedConfigMapIsEnforcedAndTheStaleFileDoesNotRevertIt() throws Exception {
    assertThat(decision(RM)).isEqualTo("deny");
    publish(fileContent);
    sidecar.sidecar.followBundleConfigMap(client);

    publish(RELAXED);
    await().atMost(Duration.ofSeconds(5)).until(() -> decision(RM).equals("allow"));
    sidecar.sidecar.checkBundle();

    assertThat(decision(RM)).isEqualTo("allow");
    assertThat(sidecar.get("/metrics").body())
        .as("the identical ConfigMap at start is no reload")
        .contains("tollgate_bundle_reloads_total 2.0");
  }

  @Test
  void aDeletedConfigMapIsNotReadyButItsLastBundleKeepsDecidingUntilItReturns() throws Exception {
    publish(RELAXED);
    sidecar.sidecar.followBundleConfigMap(client);
    await().atMost(Duration.ofSeconds(5)).until(() -> decision(RM).equals("allow"));
    String kept = revision();

    client.configMaps().inNamespace("team-a").withName(NAME).delete();

    await().atMost(Duration.ofSeconds(5)).until(() -> sidecar.get("/readyz").statusCode() == 503);
    assertThat(sidecar.get("/readyz").body())
        .contains("ConfigMap team-a/" + NAME + " was deleted")
        .contains("keeping revision " + kept);
    assertThat(decision(RM)).isEqualTo("allow");
    sidecar.sidecar.checkBundle();
    assertThat(sidecar.get("/readyz").statusCode()).isEqualTo(503);

    publish(RELAXED);
    await().atMost(Duration.ofSeconds(5)).until(() -> sidecar.get("/readyz").statusCode() == 200);
    assertThat(revision()).isEqualTo(kept);
  }

  @Test
  void aConfigMapHoldingAnotherIdentitysBundleIsNotEnforced() throws Exception {
    sidecar.sidecar.followBundleConfigMap(client);
    publish(
        SidecarFixture.bundle(
            SidecarFixture.POLICIES.replace("MODE", "Audit").replace("coder", "reviewer"),
            "reviewer"));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> sidecar.get("/readyz").body().contains("refused from ConfigMap"));
    assertThat(sidecar.get("/readyz").body())
        .contains(
            "bundle is for AgentIdentity team-a/reviewer, this sidecar enforces team-a/coder");
    assertThat(decision(RM)).isEqualTo("deny");
  }

  private void publish(String bundle) {
    ConfigMap configMap =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(NAME)
            .withNamespace("team-a")
            .endMetadata()
            .addToData(BundleConfigMaps.DATA_KEY, bundle)
            .build();
    client.configMaps().inNamespace("team-a").resource(configMap).createOr(c -> c.update());
  }

  private String decision(String body) throws Exception {
    return sidecar.postJson(HOOK, body).at("/hookSpecificOutput/permissionDecision").asText();
  }

  private String revision() throws Exception {
    return SidecarFixture.JSON
        .readTree(sidecar.get("/readyz").body())
        .path("bundleRevision")
        .asText();
  }
}
