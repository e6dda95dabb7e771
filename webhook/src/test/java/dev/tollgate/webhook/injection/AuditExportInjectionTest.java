package dev.tollgate.webhook.injection;

import static dev.tollgate.webhook.injection.PodInjectionControllerTest.admit;
import static dev.tollgate.webhook.injection.PodInjectionControllerTest.patchOf;
import static dev.tollgate.webhook.injection.PodInjectionControllerTest.review;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.runtime.audit.AuditExportSettings;
import dev.tollgate.runtime.audit.AuditExportSettings.Protocol;
import dev.tollgate.testsupport.SelfSignedTls;
import dev.tollgate.webhook.delegation.TestDelegation;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.zjsonpatch.JsonPatch;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster-wide audit export in every injected sidecar: its settings as the sidecar's
 * environment, its headers Secret mounted in the sidecar alone. Without an export nothing changes
 * (the other golden pods). Regenerate the golden pod with {@code -Dtollgate.updateGolden=true}.
 */
class AuditExportInjectionTest {

  private static final Path FIXTURES = Path.of("src/test/resources/injection");
  private static final Path WARMUP = Path.of("src/main/resources/warmup");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final boolean UPDATE = Boolean.getBoolean("tollgate.updateGolden");

  private static final IdentityReceivers TEAM_A =
      new IdentityReceivers(
          List.of(
              URI.create("http://team-a-logs.agents:8080"),
              URI.create("https://otel.team-a:4318")));

  private static final AuditExportSettings OTLP =
      new AuditExportSettings(
          URI.create("https://otel-collector.observability.svc:4318/v1/logs"),
          Protocol.OTLP,
          256,
          Duration.ofSeconds(2),
          4_096,
          Duration.ofSeconds(10),
          5);

  private static PodInjectionController controller(AuditExportInjection export) throws Exception {
    return controller(export, "");
  }

  /** With {@code identityExport} (YAML flow mapping) as the identity's spec.auditExport. */
  private static PodInjectionController controller(
      AuditExportInjection export, String identityExport) throws Exception {
    String cluster = Files.readString(WARMUP.resolve("cluster.yaml"));
    if (!identityExport.isEmpty()) {
      String anchor = "  serviceAccountName: repo-coder\n";
      assertThat(cluster).contains(anchor);
      cluster = cluster.replace(anchor, anchor + "  auditExport: " + identityExport + "\n");
    }
    InjectionSettings base = PodInjectionControllerTest.settings(true);
    InjectionSettings settings =
        new InjectionSettings(
            base.sidecarImage(),
            base.imagePullPolicy(),
            base.installerCommand(),
            base.jvmOptions(),
            base.cpuRequest(),
            base.memoryRequest(),
            base.cpuLimit(),
            base.memoryLimit(),
            base.nativeSidecars(),
            base.agentHome(),
            base.sidecarUser(),
            base.delegationKeys(),
            base.egressInitCommand(),
            base.egressInit(),
            base.gitMirrorSizeLimit(),
            base.maxCpu(),
            base.maxMemory(),
            export);
    return new PodInjectionController(
        new StaticClusterState(cluster),
        new SidecarInjection(settings),
        TestDelegation.check(),
        Set.of("kube-system", "tollgate-system"));
  }

  private static JsonNode inject(PodInjectionController controller, ObjectNode review) {
    AdmissionResponse response = admit(controller, review);
    assertThat(response.getAllowed()).as(String.valueOf(response.getStatus())).isTrue();
    try {
      return JsonPatch.apply(patchOf(response), review.at("/request/object"));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void injectsAsTheGoldenPodAndInjectingTwiceEqualsOnce() throws Exception {
    PodInjectionController controller =
        controller(new AuditExportInjection(Optional.of(OTLP), "audit-export-headers"));
    ObjectNode review = review();
    JsonNode injected = inject(controller, review);

    Path expected = FIXTURES.resolve("pod-injected-audit-export.yaml");
    String actual = YAML.writeValueAsString(injected);
    if (UPDATE) {
      Files.writeString(expected, actual);
    }
    assertThat(actual).isEqualTo(Files.readString(expected));

    ((ObjectNode) review.get("request")).set("object", injected);
    AdmissionResponse again = admit(controller, review);
    assertThat(again.getAllowed()).isTrue();
    assertThat(again.getPatch()).as("injection is idempotent").isNull();
  }

  @Test
  void theSidecarAloneGetsTheSettingsAndTheHeadersSecret() throws Exception {
    JsonNode pod =
        inject(
            controller(new AuditExportInjection(Optional.of(OTLP), "audit-export-headers")),
            review());

    JsonNode sidecar = find(pod.at("/spec/initContainers"), "tollgate-sidecar");
    Map<String, String> expected = new TreeMap<>(OTLP.toEnv());
    expected.put("TOLLGATE_AUDIT_EXPORT_HEADERS_DIR", "/var/run/tollgate/audit-export");
    assertThat(exportEnv(sidecar)).isEqualTo(expected);
    JsonNode mount = find(sidecar.path("volumeMounts"), "tollgate-audit-export-headers");
    assertThat(mount.path("mountPath").asText()).isEqualTo("/var/run/tollgate/audit-export");
    assertThat(mount.path("readOnly").asBoolean()).isTrue();
    JsonNode volume = find(pod.at("/spec/volumes"), "tollgate-audit-export-headers");
    assertThat(volume.at("/secret/secretName").asText()).isEqualTo("audit-export-headers");
    assertThat(volume.at("/secret/optional").asBoolean())
        .as("a missing Secret keeps the pod pending, it does not export without credentials")
        .isFalse();

    JsonNode agent = find(pod.at("/spec/containers"), "claude");
    assertThat(exportEnv(agent)).isEmpty();
    assertThat(agent.path("volumeMounts").toString()).doesNotContain("audit-export");
  }

  @Test
  void withoutAHeadersSecretOnlyTheSettingsAreInjected() throws Exception {
    JsonNode pod = inject(controller(new AuditExportInjection(Optional.of(OTLP), "")), review());

    JsonNode sidecar = find(pod.at("/spec/initContainers"), "tollgate-sidecar");
    assertThat(exportEnv(sidecar)).isEqualTo(new TreeMap<>(OTLP.toEnv()));
    assertThat(pod.toString()).doesNotContain("tollgate-audit-export-headers");
  }

  @Test
  void withoutAnExportTheSidecarHasNoExportSettings() throws Exception {
    JsonNode pod = inject(controller(AuditExportInjection.NONE), review());

    assertThat(exportEnv(find(pod.at("/spec/initContainers"), "tollgate-sidecar"))).isEmpty();
  }

  @Test
  void anIdentitysOwnExportReplacesTheEndpointButNeverGetsTheClustersCredentials()
      throws Exception {
    AuditExportInjection cluster =
        new AuditExportInjection(Optional.of(OTLP), "audit-export-headers", "", TEAM_A);

    JsonNode pod =
        inject(controller(cluster, "{endpoint: 'http://team-a-logs.agents:8080/audit'}"), review());
    JsonNode sidecar = find(pod.at("/spec/initContainers"), "tollgate-sidecar");
    Map<String, String> expected = new TreeMap<>(OTLP.toEnv());
    expected.put("TOLLGATE_AUDIT_EXPORT_ENDPOINT", "http://team-a-logs.agents:8080/audit");
    expected.put("TOLLGATE_AUDIT_EXPORT_PROTOCOL", "http");
    assertThat(exportEnv(sidecar))
        .as("the cluster's batching, the identity's endpoint")
        .isEqualTo(expected);
    assertThat(pod.toString())
        .as("the cluster's headers Secret is not mounted for another endpoint")
        .doesNotContain("audit-export-headers")
        .doesNotContain("tollgate-audit-export-headers");

    pod =
        inject(
            controller(
                cluster,
                "{endpoint: 'https://otel.team-a:4318', protocol: otlp, headersSecret: team-a-otel}"),
            review());
    sidecar = find(pod.at("/spec/initContainers"), "tollgate-sidecar");
    assertThat(exportEnv(sidecar))
        .containsEntry("TOLLGATE_AUDIT_EXPORT_ENDPOINT", "https://otel.team-a:4318/v1/logs")
        .containsEntry("TOLLGATE_AUDIT_EXPORT_PROTOCOL", "otlp")
        .containsEntry("TOLLGATE_AUDIT_EXPORT_HEADERS_DIR", "/var/run/tollgate/audit-export");
    assertThat(
            find(pod.at("/spec/volumes"), "tollgate-audit-export-headers")
                .at("/secret/secretName")
                .asText())
        .isEqualTo("team-a-otel");
  }

  @Test
  void anIdentitysOwnExportWorksWithoutAClusterWideOne() throws Exception {
    JsonNode pod =
        inject(
            controller(
                new AuditExportInjection(Optional.empty(), "", "", TEAM_A),
                "{endpoint: 'http://team-a-logs.agents:8080/'}"),
            review());

    assertThat(exportEnv(find(pod.at("/spec/initContainers"), "tollgate-sidecar")))
        .containsEntry("TOLLGATE_AUDIT_EXPORT_ENDPOINT", "http://team-a-logs.agents:8080/")
        .containsEntry("TOLLGATE_AUDIT_EXPORT_BATCH_SIZE", "256")
        .containsEntry("TOLLGATE_AUDIT_EXPORT_BUFFER_SIZE", "2048");
  }

  @Test
  void anInvalidIdentityExportRefusesThePodNamingTheField() throws Exception {
    // Objects the API server never checked (or older schemas): the webhook checks again.
    for (String[] bad :
        new String[][] {
          {
            "{endpoint: 'https://user:pw@logs.example.com/'}",
            "spec.auditExport.endpoint (TOLLGATE_AUDIT_EXPORT_ENDPOINT) must not carry credentials"
          },
          {
            "{endpoint: 'https://logs.example.com/', protocol: grpc}",
            "spec.auditExport.protocol (TOLLGATE_AUDIT_EXPORT_PROTOCOL) must be http or otlp, got 'grpc'"
          },
          {"{protocol: otlp}", "spec.auditExport.endpoint is required"},
          {
            "{endpoint: 'https://logs.example.com/', headersSecret: 'Bad_Name'}",
            "spec.auditExport.headersSecret must be a Secret name, got 'Bad_Name'"
          }
        }) {
      AdmissionResponse response =
          admit(
              controller(
                  new AuditExportInjection(
                      Optional.of(OTLP),
                      "",
                      "",
                      new IdentityReceivers(List.of(URI.create("https://logs.example.com")))),
                  bad[0]),
              review());
      assertThat(response.getAllowed()).as(bad[0]).isFalse();
      assertThat(response.getStatus().getCode()).isEqualTo(403);
      assertThat(response.getStatus().getMessage())
          .as(bad[0])
          .startsWith("AgentIdentity agents/repo-coder has an invalid spec.auditExport: ")
          .contains(bad[1])
          .doesNotContain("pw@");
    }
  }

  @Test
  void theClustersCaBundleGoesToItsOwnEndpointOnly(@TempDir Path dir) throws Exception {
    String pem =
        SelfSignedTls.forAddresses(dir, List.of(InetAddress.getByName("127.0.0.1")))
            .certificatePem();
    AuditExportInjection cluster =
        new AuditExportInjection(
            Optional.of(OTLP),
            "",
            pem,
            new IdentityReceivers(List.of(URI.create("https://logs.example.com"))));

    JsonNode sidecar =
        find(inject(controller(cluster), review()).at("/spec/initContainers"), "tollgate-sidecar");
    assertThat(exportEnv(sidecar)).containsEntry("TOLLGATE_AUDIT_EXPORT_CA_BUNDLE", pem);

    sidecar =
        find(
            inject(controller(cluster, "{endpoint: 'https://logs.example.com/'}"), review())
                .at("/spec/initContainers"),
            "tollgate-sidecar");
    assertThat(exportEnv(sidecar))
        .as("an identity's endpoint keeps the JDK's roots")
        .doesNotContainKey("TOLLGATE_AUDIT_EXPORT_CA_BUNDLE");
  }

  @Test
  void anIdentityMayChooseOnlyAReceiverTheClusterLists() throws Exception {
    AuditExportInjection cluster =
        new AuditExportInjection(Optional.of(OTLP), "audit-export-headers", "", TEAM_A);
    // Other spellings of a listed origin that are really it pass; every near miss is refused.
    for (String same :
        new String[] {
          "http://team-a-logs.agents:8080/audit", "HTTP://Team-A-Logs.Agents:8080/other/path?x=1"
        }) {
      assertThat(admit(controller(cluster, "{endpoint: '" + same + "'}"), review()).getAllowed())
          .as(same)
          .isTrue();
    }
    for (String other :
        new String[] {
          // Redirecting the copy away from the cluster's collector, or anywhere the sidecar
          // reaches.
          "http://169.254.169.254:8080/latest",
          "http://kubernetes.default.svc:443/api",
          // Near misses of the listed origin.
          "http://team-a-logs.agents:8081/audit",
          "https://team-a-logs.agents:8080/audit",
          "http://team-a-logs.agents/audit",
          "http://team-a-logs.agents.evil.example:8080/audit",
          "http://evil-team-a-logs.agents:8080/audit",
          "http://team-a-logs.agents.:8080/audit",
          "http://team-a-logs.agents@evil.example:8080/audit",
          "http://evil.example:8080/http://team-a-logs.agents:8080/"
        }) {
      AdmissionResponse response =
          admit(controller(cluster, "{endpoint: '" + other + "'}"), review());
      assertThat(response.getAllowed()).as(other).isFalse();
      assertThat(response.getStatus().getMessage())
          .as(other)
          .contains("has an invalid spec.auditExport: spec.auditExport.endpoint");
      assertThat(response.getStatus().getMessage())
          .as(other)
          .doesNotContain("evil.example:8080/audit@");
    }
    // Without a list, no identity chooses: the cluster's collector gets every copy.
    AdmissionResponse none =
        admit(
            controller(
                new AuditExportInjection(Optional.of(OTLP), ""),
                "{endpoint: 'http://team-a-logs.agents:8080/'}"),
            review());
    assertThat(none.getAllowed()).isFalse();
    assertThat(none.getStatus().getMessage())
        .contains("is not a receiver the cluster lets identities choose")
        .contains("--audit-export-identity-origins: none");
  }

  private static Map<String, String> exportEnv(JsonNode container) {
    Map<String, String> env = new TreeMap<>();
    container
        .path("env")
        .forEach(
            variable -> {
              if (variable.path("name").asText().startsWith("TOLLGATE_AUDIT_EXPORT_")) {
                env.put(variable.path("name").asText(), variable.path("value").asText());
              }
            });
    return env;
  }

  private static JsonNode find(JsonNode list, String name) {
    return StreamSupport.stream(list.spliterator(), false)
        .filter(element -> name.equals(element.path("name").asText()))
        .findFirst()
        .orElse(JSON.missingNode());
  }
}
