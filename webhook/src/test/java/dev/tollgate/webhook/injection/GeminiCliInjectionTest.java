package dev.tollgate.webhook.injection;

import static dev.tollgate.webhook.injection.PodInjectionControllerTest.admit;
import static dev.tollgate.webhook.injection.PodInjectionControllerTest.patchOf;
import static dev.tollgate.webhook.injection.PodInjectionControllerTest.review;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.webhook.delegation.TestDelegation;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code runtime: GeminiCli} at admission: Gemini CLI's system settings as a root-owned file at
 * {@code /etc/gemini-cli/settings.json} (a downward-API projection of a Tollgate annotation),
 * nothing of Claude Code's. Regenerate the golden pod with {@code -Dtollgate.updateGolden=true}.
 */
class GeminiCliInjectionTest {

  private static final Path FIXTURES = Path.of("src/test/resources/injection");
  private static final Path WARMUP = Path.of("src/main/resources/warmup");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final boolean UPDATE = Boolean.getBoolean("tollgate.updateGolden");

  private static PodInjectionController controller() throws Exception {
    String cluster = Files.readString(WARMUP.resolve("cluster.yaml"));
    String gemini =
        cluster.replace(
            "  serviceAccountName: repo-coder\n",
            "  serviceAccountName: repo-coder\n  runtime: GeminiCli\n");
    assertThat(gemini).contains("runtime: GeminiCli");
    return new PodInjectionController(
        new StaticClusterState(gemini),
        new SidecarInjection(PodInjectionControllerTest.settings(true)),
        TestDelegation.check(),
        Set.of("kube-system", "tollgate-system"));
  }

  private static JsonNode inject(ObjectNode review) throws Exception {
    AdmissionResponse response = admit(controller(), review);
    assertThat(response.getAllowed()).as(String.valueOf(response.getStatus())).isTrue();
    return JsonPatch.apply(patchOf(response), review.at("/request/object"));
  }

  @Test
  void injectsAsTheGoldenPodAndInjectingTwiceEqualsOnce() throws Exception {
    ObjectNode review = review();
    JsonNode injected = inject(review);
    Path expected = FIXTURES.resolve("pod-injected-gemini-cli.yaml");
    String actual = YAML.writeValueAsString(injected);
    if (UPDATE) {
      Files.writeString(expected, actual);
    }
    assertThat(actual).isEqualTo(Files.readString(expected));

    ((ObjectNode) review.get("request")).set("object", injected);
    AdmissionResponse again = admit(controller(), review);
    assertThat(again.getAllowed()).isTrue();
    assertThat(again.getPatch()).as("injection is idempotent").isNull();
  }

  @Test
  void theSystemSettingsAreARootOwnedProjectionMountedAloneAndPinned() throws Exception {
    JsonNode pod = inject(review());
    JsonNode agent = pod.at("/spec/containers/0");
    JsonNode mount = null;
    for (JsonNode m : agent.path("volumeMounts")) {
      if (m.path("name").asText().equals(SidecarInjection.GEMINI_VOLUME)) {
        mount = m;
      }
    }
    assertThat(mount).isNotNull();
    assertThat(mount.path("mountPath").asText()).isEqualTo("/etc/gemini-cli/settings.json");
    assertThat(mount.path("subPath").asText()).isEqualTo("settings.json");
    assertThat(mount.path("readOnly").asBoolean()).isTrue();
    assertThat(agent.path("volumeMounts").toString()).doesNotContain("tollgate-claude-code");
    assertThat(agent.path("env").toString())
        .contains(
            "{\"name\":\"GEMINI_CLI_SYSTEM_SETTINGS_PATH\",\"value\":\"/etc/gemini-cli/settings.json\"}",
            "{\"name\":\"GEMINI_CLI_TRUST_WORKSPACE\",\"value\":\"true\"}",
            "{\"name\":\"GEMINI_RESTRICTED_MODE\",\"value\":\"false\"}");
    JsonNode volume = null;
    for (JsonNode v : pod.at("/spec/volumes")) {
      if (v.path("name").asText().equals(SidecarInjection.GEMINI_VOLUME)) {
        volume = v;
      }
    }
    assertThat(volume.at("/downwardAPI/defaultMode").asInt()).isEqualTo(0444);
    assertThat(volume.at("/downwardAPI/items/0/fieldRef/fieldPath").asText())
        .isEqualTo("metadata.annotations['tollgate.dev/gemini-cli-settings']");
    JsonNode settings =
        JSON.readTree(pod.at("/metadata/annotations/tollgate.dev~1gemini-cli-settings").asText());
    JsonNode hook = settings.at("/hooks/BeforeTool/0/hooks/0");
    assertThat(hook.path("command").asText())
        .startsWith("/opt/tollgate/bin/tollgate-hook gemini-cli || {")
        .contains("\"decision\":\"deny\"")
        .endsWith("exit 2; }");
    assertThat(hook.path("timeout").asInt()).isEqualTo(360_000);
    assertThat(hook.at("/env/TOLLGATE_HOOK_TIMEOUT_SECONDS").asText()).isEqualTo("330");
    assertThat(settings.at("/mcpServers/github/httpUrl").asText())
        .isEqualTo("http://127.0.0.1:9440/mcp/github");
    assertThat(settings.at("/mcp/allowed").toString()).isEqualTo("[\"github\"]");
    assertThat(settings.at("/hooksConfig/enabled").asBoolean()).isTrue();
  }

  @Test
  void isTheSampleShippedWithTheSidecarForTheDefaultApprovalTimeout() throws Exception {
    Path sample = Path.of("../sidecar/src/main/resources/gemini-cli/settings.json");
    if (UPDATE) {
      Files.writeString(sample, GeminiCliSettings.json(300, List.of()));
    }
    assertThat(JSON.readTree(GeminiCliSettings.json(300, List.of())))
        .isEqualTo(JSON.readTree(Files.readString(sample)));
  }

  @Test
  void anIdentityWithoutMcpServersAdmitsNone() throws Exception {
    JsonNode settings = JSON.readTree(GeminiCliSettings.json(300, List.of()));
    assertThat(settings.path("mcpServers").isEmpty()).isTrue();
    // An empty allowlist would mean "every server": one that names none, and is excluded.
    assertThat(settings.at("/mcp/allowed").toString())
        .isEqualTo("[\"" + GeminiCliSettings.NO_SERVER + "\"]");
    assertThat(settings.at("/mcp/excluded").toString())
        .isEqualTo("[\"" + GeminiCliSettings.NO_SERVER + "\"]");
  }
}
