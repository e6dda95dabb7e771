package dev.tollgate.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.agenttests.model.ResponsesModel;
import dev.tollgate.agenttests.model.ToolCall;
import dev.tollgate.webhook.injection.CodexManagedConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the real Codex CLI (pinned and newest) does when the decision point is not there to decide.
 * Codex itself runs a call when its hook fails, times out or cannot start, so each drill proves
 * that the injected wiring turns that failure into a block: no side effect, and a reason the model
 * can read.
 */
class CodexFaultDrillIT {

  private static final String CALL = "call_drill";

  @TempDir Path root;
  private Path workspace;

  @BeforeEach
  void createWorkspace() throws Exception {
    workspace = Files.createDirectories(root.resolve("workspace"));
  }

  static Stream<Path> releases() {
    return Stream.of(Codex.PINNED, Codex.LATEST);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("releases")
  void aSidecarThatIsDownBlocksTheCall(Path codex) throws Exception {
    String url = "http://127.0.0.1:" + SidecarProcess.freePort();
    String result =
        drill(codex, url, HookSettings.HOOK_CLIENT, HookSettings.APPROVAL_TIMEOUT_SECONDS);
    assertThat(result).contains("cannot connect to the decision point at " + url);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("releases")
  void aSidecarThatHangsBlocksTheCallAtTheClientsDeadline(Path codex) throws Exception {
    try (SilentServer silent = new SilentServer()) {
      // Approval wait 1 s: the client gives up after 31 s, 30 s before Codex's own hook timeout
      // (which would let the call run).
      String result = drill(codex, silent.url(), HookSettings.HOOK_CLIENT, 1);
      assertThat(result).contains("no answer from the decision point at " + silent.url());
      assertThat(silent.connections()).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("releases")
  void aMissingHookClientBlocksTheCall(Path codex) throws Exception {
    Path missing = root.resolve("nowhere/tollgate-hook");
    String result =
        drill(codex, "http://127.0.0.1:9", missing, HookSettings.APPROVAL_TIMEOUT_SECONDS);
    assertThat(result).contains("Tollgate: the hook client failed, the call is blocked");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("releases")
  void anAllowInClaudeCodesShapeIsNotAnAllowForCodex(Path codex) throws Exception {
    // Codex would run the call on this answer (an "allow" without updatedInput is a failed hook
    // to Codex); the client must not pass it on.
    HttpServer impostor =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] answer =
        "{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"permissionDecision\":\"allow\"}}"
            .getBytes(StandardCharsets.UTF_8);
    impostor.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    impostor.start();
    try {
      String url = "http://127.0.0.1:" + impostor.getAddress().getPort();
      String result = drill(codex, url, HookSettings.HOOK_CLIENT, 300);
      assertThat(result).contains("gave an answer Codex cannot read as allow or deny");
    } finally {
      impostor.stop(0);
    }
  }

  /** One session with one call that would leave a marker; returns what the model was told. */
  private String drill(Path codex, String decisionUrl, Path hookClient, int approvalSeconds)
      throws Exception {
    try (ResponsesModel model =
        new ResponsesModel(
            List.of(ToolCall.of(CALL, "exec_command", Map.of("cmd", "echo ran > ran.marker"))))) {
      Codex.Run run =
          Codex.run(
              codex,
              workspace,
              root.resolve("home"),
              CodexManagedConfig.configToml(
                  approvalSeconds, List.of(), hookClient.toString(), decisionUrl),
              CodexManagedConfig.requirementsToml(List.of(), decisionUrl),
              model.baseUrl(),
              List.of("--dangerously-bypass-approvals-and-sandbox"));
      assertThat(run.exitCode()).as(run.describe()).isZero();
      assertThat(workspace.resolve("ran.marker")).as(run.describe()).doesNotExist();
      String result = model.resultFor(CALL).content();
      assertThat(result).contains("blocked by PreToolUse hook");
      return result;
    }
  }
}
