package dev.tollgate.webhook.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManagedSettingsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void isTheSampleShippedWithTheSidecarForTheDefaultApprovalTimeout() throws Exception {
    ObjectNode sample =
        (ObjectNode)
            JSON.readTree(
                Files.readString(
                    Path.of("../sidecar/src/main/resources/claude-code/managed-settings.json")));
    sample.remove("$schema");
    assertThat(JSON.readTree(ManagedSettings.json(300, List.of()))).isEqualTo(sample);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 300, 3600, 86_400})
  void deadlinesNestAboveTheApprovalWait(int approvalTimeout) throws Exception {
    JsonNode settings = JSON.readTree(ManagedSettings.json(approvalTimeout, List.of()));
    int clientDeadline = settings.at("/env/TOLLGATE_HOOK_TIMEOUT_SECONDS").asInt();
    assertThat(clientDeadline).isGreaterThan(approvalTimeout);
    for (String event : new String[] {"PreToolUse", "PostToolUse", "PostToolUseFailure"}) {
      assertThat(settings.at("/hooks/" + event + "/0/hooks/0/timeout").asInt())
          .isGreaterThan(clientDeadline);
      assertThat(settings.at("/hooks/" + event + "/0/hooks/0/command").asText())
          .isEqualTo(
              event.equals("PreToolUse")
                  ? "/opt/tollgate/bin/tollgate-hook || exit 2"
                  : "/opt/tollgate/bin/tollgate-hook");
      // Only the decision blocks the call; the records after it run in the background.
      assertThat(settings.at("/hooks/" + event + "/0/hooks/0/async").asBoolean())
          .isEqualTo(!event.equals("PreToolUse"));
    }
    assertThat(settings.path("allowManagedHooksOnly").asBoolean()).isTrue();
    assertThat(settings.at("/env/BASH_ENV").asText()).isEmpty();
  }

  @Test
  void refusesAHookPathThatTheShellWouldReinterpret() {
    assertThatThrownBy(
            () -> ManagedSettings.json(300, List.of(), "/opt/x; rm -rf /", "http://127.0.0.1:9440"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> ManagedSettings.json(300, List.of(), "tollgate-hook", "http://127.0.0.1:9440"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void allowsExactlyTheIdentitysMcpServersAtTheGatewayReadFromHereOnly() throws Exception {
    JsonNode settings = JSON.readTree(ManagedSettings.json(300, List.of("github", "jira")));
    assertThat(settings.path("allowManagedMcpServersOnly").asBoolean()).isTrue();
    assertThat(settings.path("allowedMcpServers"))
        .isEqualTo(
            JSON.readTree(
                "[{\"serverUrl\": \"http://127.0.0.1:9440/mcp/github\"},"
                    + " {\"serverUrl\": \"http://127.0.0.1:9440/mcp/jira\"}]"));
  }

  @Test
  void anIdentityWithoutMcpServersAllowsNone() throws Exception {
    JsonNode allowed =
        JSON.readTree(ManagedSettings.json(300, List.of())).path("allowedMcpServers");
    // An empty allowlist allows no server; a missing one would allow every server.
    assertThat(allowed.isArray()).isTrue();
    assertThat(allowed).isEmpty();
  }

  @Test
  void bypassModeIsOffAndTheFileToolsCannotEditAnySettingsFile() throws Exception {
    JsonNode permissions = JSON.readTree(ManagedSettings.json(300, List.of())).path("permissions");
    assertThat(permissions.path("disableBypassPermissionsMode").asText()).isEqualTo("disable");
    assertThat(permissions.path("deny"))
        .extracting(JsonNode::asText)
        .containsExactly(
            "Edit(//etc/claude-code/**)",
            "Edit(//**/.claude/settings.json)",
            "Edit(//**/.claude/settings.local.json)");
  }

  @Test
  void theHookClientCannotBeSwitchedToWhicheverCurlThePathFinds() throws Exception {
    JsonNode env = JSON.readTree(ManagedSettings.json(300, List.of())).path("env");
    assertThat(env.path("TOLLGATE_HOOK_TRANSPORT").asText()).isEqualTo("auto");
  }
}
