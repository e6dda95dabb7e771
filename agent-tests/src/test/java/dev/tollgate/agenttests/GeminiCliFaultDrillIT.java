package dev.tollgate.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agenttests.model.ScriptedGeminiModel;
import dev.tollgate.agenttests.model.ToolCall;
import dev.tollgate.agenttests.model.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the real Gemini CLI does when the decision point cannot decide. Gemini CLI itself runs a
 * call whose hook printed nothing, timed out or was killed; each drill breaks one thing and checks
 * that the injected wiring still blocks the call: no side effect, and a reason the model reads.
 */
class GeminiCliFaultDrillIT {

  @TempDir Path root;
  private Path workspace;

  @BeforeEach
  void createWorkspace() throws Exception {
    workspace = Files.createDirectories(root.resolve("workspace"));
  }

  private static ToolCall marker(String id, String name) {
    return ToolCall.of(
        id,
        "run_shell_command",
        Map.of("command", "echo " + name + " > " + name + ".marker", "description", name));
  }

  private GeminiCli.Run play(
      ScriptedGeminiModel model, String hookCommand, String url, Consumer<ObjectNode> edit)
      throws Exception {
    Path settings = GeminiCli.systemSettings(hookCommand, url, edit);
    return GeminiCli.run(
        "gemini-cli", workspace, root.resolve("home"), settings, model.baseUrl(), Map.of());
  }

  private static void assertBlocked(ScriptedGeminiModel model, String id, String reason) {
    ToolResult result = model.resultFor(id);
    assertThat(result.isError()).as("%s", result).isTrue();
    assertThat(result.content()).as(id).contains("Tool execution blocked: ").contains(reason);
  }

  @Test
  void aSidecarStoppedMidSessionBlocksEveryLaterCall() throws Exception {
    Path bundle = RepoCoderBundle.write(workspace, root.resolve("bundle.json"));
    try (SidecarProcess sidecar = SidecarProcess.start(bundle, root, "/readyz");
        ScriptedGeminiModel model =
            new ScriptedGeminiModel(
                List.of(
                    marker("before", "before"), marker("after", "after").before(sidecar::stop)))) {
      GeminiCli.Run run = play(model, HookSettings.HOOK_CLIENT.toString(), sidecar.url(), s -> {});

      assertThat(run.exitCode()).as(run.describe()).isZero();
      assertThat(workspace.resolve("before.marker")).exists();
      assertThat(workspace.resolve("after.marker")).doesNotExist();
      assertBlocked(
          model, "after", "Tollgate: cannot connect to the decision point at " + sidecar.url());
      AuditTrail audit = new AuditTrail(sidecar.audit());
      assertThat(audit.correlationIds())
          .as("the stopped sidecar saw only the first call")
          .hasSize(1);
    }
  }

  @Test
  void aHungSidecarBlocksAtTheClientsDeadlineBeforeGeminiCliGivesUp() throws Exception {
    try (SilentServer silent = new SilentServer();
        ScriptedGeminiModel model = new ScriptedGeminiModel(List.of(marker("slow", "slow")))) {
      GeminiCli.Run run =
          play(
              model,
              HookSettings.HOOK_CLIENT.toString(),
              silent.url(),
              s ->
                  ((ObjectNode) s.at("/hooks/BeforeTool/0/hooks/0/env"))
                      .put("TOLLGATE_HOOK_TIMEOUT_SECONDS", "2"));

      assertThat(workspace.resolve("slow.marker")).doesNotExist();
      assertBlocked(
          model, "slow", "no answer from the decision point at " + silent.url() + " within 2s");
      assertThat(silent.connections()).as("the hook client did reach the server").isPositive();
      assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(60));
    }
  }

  @Test
  void aMissingHookClientBlocksEveryCall() throws Exception {
    Path bundle = RepoCoderBundle.write(workspace, root.resolve("bundle.json"));
    try (SidecarProcess sidecar = SidecarProcess.start(bundle, root, "/readyz");
        ScriptedGeminiModel model = new ScriptedGeminiModel(List.of(marker("gone", "gone")))) {
      GeminiCli.Run run =
          play(model, root.resolve("missing/tollgate-hook").toString(), sidecar.url(), s -> {});

      assertThat(run.exitCode()).as(run.describe()).isZero();
      assertThat(workspace.resolve("gone.marker")).doesNotExist();
      assertBlocked(model, "gone", "Tollgate: the hook client failed or is missing");
      assertThat(sidecar.audit()).as("nothing reached the decision point").isEmpty();
    }
  }

  @Test
  void malformedInputFromAnyoneIsDeniedWithAClearReason() throws Exception {
    // Anything in the pod can post to the hook endpoint; the client relays the sidecar's reason.
    Path bundle = RepoCoderBundle.write(workspace, root.resolve("bundle.json"));
    try (SidecarProcess sidecar = SidecarProcess.start(bundle, root, "/readyz")) {
      ProcessBuilder builder =
          new ProcessBuilder("bash", HookSettings.HOOK_CLIENT.toString(), "gemini-cli")
              .redirectInput(ProcessBuilder.Redirect.PIPE);
      builder.environment().put("TOLLGATE_URL", sidecar.url());
      Process client = builder.start();
      try {
        client
            .getOutputStream()
            .write(
                ("{\"hook_event_name\":\"BeforeTool\",\"tool_name\":\"run_shell_command\","
                        + "\"tool_input\":{\"command\":[\"rm\",\"-rf\",\"/\"]}}")
                    .getBytes());
        client.getOutputStream().close();
        String out = new String(client.getInputStream().readAllBytes());
        assertThat(client.waitFor()).isZero();
        assertThat(out)
            .startsWith("{\"decision\":\"deny\"")
            .contains("run_shell_command: command must be a string");
      } finally {
        client.destroyForcibly();
      }
    }
  }
}
