package dev.tollgate.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.webhook.injection.AuditExportInjection;
import dev.tollgate.webhook.injection.IdentityReceivers;
import dev.tollgate.webhook.injection.SidecarResources;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookConfigTest {

  @Test
  void readsDefaultsAndOverrides() throws Exception {
    WebhookConfig config =
        WebhookConfig.from(
            Map.of("POD_NAMESPACE", "tollgate-system", "TOLLGATE_SIDECAR_IMAGE", "r/sidecar:1"),
            new String[] {"--ip-sans", "127.0.0.1", "--native-sidecars=false"});
    assertThat(config.port()).isEqualTo(8443);
    assertThat(config.tlsMode()).isEqualTo("self-managed");
    assertThat(config.ipSans()).containsExactly("127.0.0.1");
    assertThat(config.mutatingConfigurations()).containsExactly("tollgate");
    assertThat(config.nativeSidecars()).isEqualTo("false");
    assertThat(config.sidecarJvmOptions()).contains("-XX:+UseSerialGC", "-Xmx64m");
    assertThat(config.egressInit()).as("the egress rule installer is on by default").isTrue();
  }

  @Test
  void theEgressRuleInstallerCanBeSwitchedOffClusterWide() throws Exception {
    Map<String, String> env =
        Map.of("POD_NAMESPACE", "tollgate-system", "TOLLGATE_SIDECAR_IMAGE", "r/sidecar:1");
    assertThat(WebhookConfig.from(env, new String[] {"--egress-init", "false"}).egressInit())
        .isFalse();
    assertThat(
            WebhookConfig.from(
                    Map.of(
                        "POD_NAMESPACE",
                        "tollgate-system",
                        "TOLLGATE_SIDECAR_IMAGE",
                        "r/sidecar:1",
                        "TOLLGATE_EGRESS_INIT",
                        "false"),
                    new String[0])
                .egressInit())
        .isFalse();
    assertThatThrownBy(() -> WebhookConfig.from(env, new String[] {"--egress-init", "maybe"}))
        .isInstanceOfSatisfying(
            WebhookConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "--egress-init (TOLLGATE_EGRESS_INIT) must be true or false, got 'maybe'"));
  }

  @Test
  void theGitMirrorVolumeHasADefaultAndAValidatedLimit() throws Exception {
    Map<String, String> env =
        Map.of("POD_NAMESPACE", "tollgate-system", "TOLLGATE_SIDECAR_IMAGE", "r/sidecar:1");
    assertThat(WebhookConfig.from(env, new String[0]).gitMirrorSizeLimit()).isEqualTo("2Gi");
    assertThat(
            WebhookConfig.from(env, new String[] {"--git-mirror-size-limit", "500Mi"})
                .gitMirrorSizeLimit())
        .isEqualTo("500Mi");
    assertThatThrownBy(
            () -> WebhookConfig.from(env, new String[] {"--git-mirror-size-limit", "2 GB"}))
        .isInstanceOfSatisfying(
            WebhookConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "--git-mirror-size-limit (TOLLGATE_GIT_MIRROR_SIZE_LIMIT) must be a"
                            + " Kubernetes quantity such as 2Gi, got '2 GB'"));
  }

  @Test
  void injectsTheSidecarWithTheMeasuredJvmFlags() throws Exception {
    List<String> measured =
        Files.readAllLines(Path.of("../sidecar/jvm.options")).stream()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .toList();
    assertThat(List.of(WebhookConfig.DEFAULT_SIDECAR_JVM_OPTIONS.split(" "))).isEqualTo(measured);
  }

  @Test
  void reportsEveryBadSetting() {
    assertThatThrownBy(
            () ->
                WebhookConfig.from(
                    Map.of(),
                    new String[] {"--tls", "files", "--sidecar-pull-policy", "Sometimes"}))
        .isInstanceOfSatisfying(
            WebhookConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "--namespace (POD_NAMESPACE) is required: Tollgate's own namespace, never intercepted",
                        "--cert-dir (TOLLGATE_WEBHOOK_CERT_DIR) is required with --tls files",
                        "--sidecar-image (TOLLGATE_SIDECAR_IMAGE) is required: the image the decision point runs from",
                        "--sidecar-pull-policy (TOLLGATE_SIDECAR_PULL_POLICY) must be Always, IfNotPresent or Never, got 'Sometimes'"));
  }

  @Test
  void reportsBadDelegationAndAgentSettingsByName() {
    assertThatThrownBy(
            () ->
                WebhookConfig.from(
                    Map.of(),
                    new String[] {
                      "--namespace", "tollgate-system",
                      "--sidecar-image", "img",
                      "--delegation-keys", "Keys_1",
                      "--sidecar-user", "0",
                      "--agent-home", "home/agent"
                    }))
        .isInstanceOfSatisfying(
            WebhookConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "--sidecar-user (TOLLGATE_SIDECAR_USER) must be between 1 and 2147483647, got 0",
                        "--agent-home (TOLLGATE_AGENT_HOME) must be an absolute path, got 'home/agent'",
                        "--delegation-keys (TOLLGATE_DELEGATION_KEYS) must be a Secret and ConfigMap name, got 'Keys_1'"));
  }

  @Test
  void theSidecarsResourcesAndThePerPodCapsHaveDefaultsAndAreValidated() throws Exception {
    Map<String, String> env =
        Map.of("POD_NAMESPACE", "tollgate-system", "TOLLGATE_SIDECAR_IMAGE", "r/sidecar:1");
    WebhookConfig defaults = WebhookConfig.from(env, new String[0]);
    assertThat(defaults.sidecarResources())
        .isEqualTo(new SidecarResources("50m", "96Mi", "500m", "160Mi"));
    assertThat(defaults.sidecarMaxCpu()).isEqualTo("2");
    assertThat(defaults.sidecarMaxMemory()).isEqualTo("1Gi");
    WebhookConfig set =
        WebhookConfig.from(
            env,
            new String[] {
              "--sidecar-cpu-request", "100m",
              "--sidecar-memory-request", "128Mi",
              "--sidecar-cpu-limit", "1",
              "--sidecar-memory-limit", "256Mi",
              "--sidecar-max-cpu", "1500m",
              "--sidecar-max-memory", "512Mi"
            });
    assertThat(set.sidecarResources())
        .isEqualTo(new SidecarResources("100m", "128Mi", "1", "256Mi"));
    assertThat(set.sidecarMaxCpu()).isEqualTo("1500m");
    assertThat(set.sidecarMaxMemory()).isEqualTo("512Mi");

    assertThatThrownBy(
            () ->
                WebhookConfig.from(
                    env,
                    new String[] {"--sidecar-memory-limit", "lots", "--sidecar-cpu-request", "0"}))
        .isInstanceOfSatisfying(
            WebhookConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "--sidecar-memory-limit (TOLLGATE_SIDECAR_MEMORY_LIMIT) must be a"
                            + " Kubernetes quantity above zero such as 160Mi, got 'lots'",
                        "--sidecar-cpu-request (TOLLGATE_SIDECAR_CPU_REQUEST) must be a"
                            + " Kubernetes quantity above zero such as 50m, got '0'"));
    assertThatThrownBy(
            () ->
                WebhookConfig.from(
                    env,
                    new String[] {
                      "--sidecar-memory-request", "256Mi",
                      "--sidecar-cpu-limit", "4",
                      "--sidecar-memory-limit", "200Mi",
                      "--sidecar-max-memory", "128Mi"
                    }))
        .isInstanceOfSatisfying(
            WebhookConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "--sidecar-memory-request (TOLLGATE_SIDECAR_MEMORY_REQUEST) must not be"
                            + " above the memory limit 200Mi, got 256Mi",
                        "--sidecar-max-cpu (TOLLGATE_SIDECAR_MAX_CPU) must be at least the"
                            + " sidecar's CPU limit 4, got 2",
                        "--sidecar-max-memory (TOLLGATE_SIDECAR_MAX_MEMORY) must be at least the"
                            + " sidecar's memory limit 200Mi, got 128Mi"));
  }

  @Test
  void theAuditExportIsReadWithTheSidecarsOwnChecks() throws Exception {
    Map<String, String> env =
        Map.of(
            "POD_NAMESPACE", "tollgate-system",
            "TOLLGATE_SIDECAR_IMAGE", "r/sidecar:1",
            "TOLLGATE_AUDIT_EXPORT_ENDPOINT", "http://collector.observability:4318",
            "TOLLGATE_AUDIT_EXPORT_PROTOCOL", "otlp",
            "TOLLGATE_AUDIT_EXPORT_HEADERS_SECRET", "audit-export-headers");
    AuditExportInjection export = WebhookConfig.from(env, new String[0]).auditExport();
    assertThat(export.headersSecret()).isEqualTo("audit-export-headers");
    assertThat(export.settings().orElseThrow().endpoint())
        .isEqualTo(URI.create("http://collector.observability:4318/v1/logs"));
    assertThat(
            WebhookConfig.from(
                    Map.of("POD_NAMESPACE", "ns", "TOLLGATE_SIDECAR_IMAGE", "i"), new String[0])
                .auditExport()
                .settings())
        .as("no endpoint, no export")
        .isEmpty();
  }

  @Test
  void aBadAuditExportSettingStopsTheWebhookNotEveryAgentPod() {
    Map<String, String> env =
        Map.of("POD_NAMESPACE", "tollgate-system", "TOLLGATE_SIDECAR_IMAGE", "r/sidecar:1");
    assertThatThrownBy(
            () ->
                WebhookConfig.from(
                    env,
                    new String[] {
                      "--audit-export-endpoint", "collector:4318",
                      "--audit-export-protocol", "grpc",
                      "--audit-export-batch-size", "0",
                      "--audit-export-headers-secret", "Not_A_Name",
                      "--audit-export-ca-bundle", "not a certificate"
                    }))
        .isInstanceOfSatisfying(
            WebhookConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "--audit-export-endpoint (TOLLGATE_AUDIT_EXPORT_ENDPOINT) must be an absolute http or https URL with a host, got 'collector:4318'",
                        "--audit-export-protocol (TOLLGATE_AUDIT_EXPORT_PROTOCOL) must be http or otlp, got 'grpc'",
                        "--audit-export-batch-size (TOLLGATE_AUDIT_EXPORT_BATCH_SIZE) must be between 1 and 10000, got 0",
                        "--audit-export-headers-secret (TOLLGATE_AUDIT_EXPORT_HEADERS_SECRET) must be a Secret name, got 'Not_A_Name'",
                        "--audit-export-ca-bundle (TOLLGATE_AUDIT_EXPORT_CA_BUNDLE) must be PEM certificates: holds no PEM certificate (-----BEGIN CERTIFICATE-----)"));
    assertThatThrownBy(
            () ->
                WebhookConfig.from(
                    env, new String[] {"--audit-export-headers-secret", "audit-export-headers"}))
        .isInstanceOfSatisfying(
            WebhookConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "--audit-export-headers-secret (TOLLGATE_AUDIT_EXPORT_HEADERS_SECRET) needs --audit-export-endpoint (TOLLGATE_AUDIT_EXPORT_ENDPOINT): headers for no export"));
  }

  @Test
  void theReceiversAnIdentityMayChooseAreOriginsAndABadOneStopsTheWebhook() throws Exception {
    Map<String, String> env =
        Map.of("POD_NAMESPACE", "tollgate-system", "TOLLGATE_SIDECAR_IMAGE", "r/sidecar:1");
    assertThat(WebhookConfig.from(env, new String[0]).auditExport().identityReceivers().origins())
        .as("none unless listed")
        .isEmpty();
    IdentityReceivers listed =
        WebhookConfig.from(
                env,
                new String[] {
                  "--audit-export-identity-origins",
                  "https://Otel.Team-A:4318, http://logs.team-b/ ,https://[fd00::1]"
                })
            .auditExport()
            .identityReceivers();
    assertThat(listed.origins())
        .containsExactly(
            URI.create("https://otel.team-a:4318"),
            URI.create("http://logs.team-b:80"),
            URI.create("https://[fd00::1]:443"));
    assertThat(listed.allows(URI.create("http://logs.team-b/v1/logs"))).isTrue();
    assertThat(listed.allows(URI.create("https://[fd00::1]/x"))).isTrue();
    assertThat(listed.allows(URI.create("https://otel.team-a/v1/logs"))).as("port 443").isFalse();

    assertThatThrownBy(
            () ->
                WebhookConfig.from(
                    env,
                    new String[] {
                      "--audit-export-identity-origins",
                      "https://ok.example,collector:4318,https://x.example/path,ftp://x.example,"
                          + "https://u:p@x.example"
                    }))
        .isInstanceOfSatisfying(
            WebhookConfigException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(4)
                    .allSatisfy(
                        problem ->
                            assertThat(problem)
                                .startsWith(
                                    "--audit-export-identity-origins"
                                        + " (TOLLGATE_AUDIT_EXPORT_IDENTITY_ORIGINS) must list"
                                        + " origins such as https://collector.example:4318"))
                    .anySatisfy(problem -> assertThat(problem).endsWith("got 'collector:4318'"))
                    .anySatisfy(
                        problem -> assertThat(problem).endsWith("got 'https://x.example/path'"))
                    .anySatisfy(problem -> assertThat(problem).endsWith("got 'ftp://x.example'")));
  }
}
