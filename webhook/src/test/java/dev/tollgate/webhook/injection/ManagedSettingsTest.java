package dev.tollgate.webhook.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
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
    assertThat(JSON.readTree(ManagedSettings.json(300))).isEqualTo(sample);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 300, 3600, 86_400})
  void deadlinesNestAboveTheApprovalWait(int approvalTimeout) throws Exception {
    JsonNode settings = JSON.readTree(ManagedSettings.json(approvalTimeout));
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
    }
    assertThat(settings.path("allowManagedHooksOnly").asBoolean()).isTrue();
    assertThat(settings.at("/env/BASH_ENV").asText()).isEmpty();
  }

  @Test
  void refusesAHookPathThatTheShellWouldReinterpret() {
    assertThatThrownBy(() -> ManagedSettings.json(300, "/opt/x; rm -rf /", "http://127.0.0.1:9440"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ManagedSettings.json(300, "tollgate-hook", "http://127.0.0.1:9440"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
