package dev.tollgate.webhook.injection;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A pod of an identity with {@code runtime: Codex}: the Codex CLI's system configuration and
 * requirements mounted read-only at {@code /etc/codex}, no Claude Code settings, and the same
 * sidecar. Compared with a golden pod; regenerate it with {@code -Dtollgate.updateGolden=true}.
 */
class CodexInjectionTest {

  private static final Path FIXTURES = Path.of("src/test/resources/injection");
  private static final Path WARMUP = Path.of("src/main/resources/warmup");
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final boolean UPDATE = Boolean.getBoolean("tollgate.updateGolden");

  private static PodInjectionController controller() throws Exception {
    String cluster =
        Files.readString(WARMUP.resolve("cluster.yaml"))
            .replace(
                "  serviceAccountName: repo-coder\n",
                "  serviceAccountName: repo-coder\n  runtime: Codex\n");
    assertThat(cluster).contains("runtime: Codex");
    return new PodInjectionController(
        new StaticClusterState(cluster),
        new SidecarInjection(PodInjectionControllerTest.settings(true)),
        TestDelegation.check(),
        Set.of("kube-system", "tollgate-system"));
  }

  private static JsonNode injected() throws Exception {
    ObjectNode review = PodInjectionControllerTest.review();
    AdmissionResponse response = PodInjectionControllerTest.admit(controller(), review);
    assertThat(response.getAllowed()).as(String.valueOf(response.getStatus())).isTrue();
    return JsonPatch.apply(
        PodInjectionControllerTest.patchOf(response), review.at("/request/object"));
  }

  @Test
  void injectsAsTheGoldenPodAndInjectingTwiceEqualsOnce() throws Exception {
    JsonNode injected = injected();
    Path expected = FIXTURES.resolve("pod-injected-codex.yaml");
    String actual = YAML.writeValueAsString(injected);
    if (UPDATE) {
      Files.writeString(expected, actual);
    }
    assertThat(actual).isEqualTo(Files.readString(expected));

    ObjectNode review = PodInjectionControllerTest.review();
    ((ObjectNode) review.get("request")).set("object", injected);
    AdmissionResponse again = PodInjectionControllerTest.admit(controller(), review);
    assertThat(again.getAllowed()).isTrue();
    assertThat(again.getPatch()).as("injection is idempotent").isNull();
  }

  @Test
  void theAgentGetsCodexsSystemDirectoryReadOnlyAndNoClaudeCodeSettings() throws Exception {
    JsonNode agent = injected().at("/spec/containers/0");
    String mounts = agent.path("volumeMounts").toString();
    assertThat(mounts)
        .contains("\"mountPath\":\"/etc/codex\",\"name\":\"tollgate-codex\",\"readOnly\":true")
        .doesNotContain("/etc/claude-code");
  }

  @Test
  void theInstallerWritesTheHookTheRequirementsAndTheGatewayAsTheOnlyMcpServer() throws Exception {
    JsonNode installer = injected().at("/spec/initContainers/0");
    assertThat(installer.path("name").asText()).isEqualTo("tollgate-install");
    assertThat(installer.path("command").toString())
        .endsWith("\"/tollgate/bin\",\"/tollgate/codex\"]");
    Map<String, String> env = new HashMap<>();
    installer.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    assertThat(env).doesNotContainKeys("TOLLGATE_MANAGED_SETTINGS", "TOLLGATE_MANAGED_MCP");
    String config = env.get("TOLLGATE_CODEX_CONFIG");
    assertThat(config)
        .contains("[[hooks.PreToolUse]]", "[[hooks.PostToolUse]]")
        .contains(
            "command = \"TOLLGATE_URL=http://127.0.0.1:9440 TOLLGATE_HOOK_TIMEOUT_SECONDS=330"
                + " TOLLGATE_HOOK_CONNECT_TIMEOUT_SECONDS=2 TOLLGATE_HOOK_TRANSPORT=auto"
                + " /opt/tollgate/bin/tollgate-hook codex || { echo Tollgate:")
        .contains("timeout = 360")
        .contains("[mcp_servers.github]\nurl = \"http://127.0.0.1:9440/mcp/github\"");
    String requirements = env.get("TOLLGATE_CODEX_REQUIREMENTS");
    assertThat(requirements)
        .contains("allow_managed_hooks_only = true")
        .contains("[features]\nhooks = true\nunified_exec_tty = false\n")
        .contains("[mcp_servers.github.identity]\nurl = \"http://127.0.0.1:9440/mcp/github\"")
        .doesNotContain("mcp_servers = {}");
  }

  @Test
  void anIdentityWithoutMcpServersAllowsNone() {
    assertThat(CodexManagedConfig.requirementsToml(List.of())).contains("mcp_servers = {}\n");
    assertThat(CodexManagedConfig.configToml(300, List.of())).doesNotContain("[mcp_servers");
  }
}
