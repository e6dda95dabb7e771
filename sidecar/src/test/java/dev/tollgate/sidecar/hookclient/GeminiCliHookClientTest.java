package dev.tollgate.sidecar.hookclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.sidecar.SidecarFixture;
import dev.tollgate.sidecar.hookclient.HookScript.Run;
import dev.tollgate.sidecar.hookclient.HookScript.Transport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tollgate-hook gemini-cli}: Gemini CLI runs a call whose hook printed nothing (whatever the
 * exit status), so every outcome of this client must be a printed decision, and the injected
 * command must print a deny of its own when the client exits otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeminiCliHookClientTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SHELL_RM =
      """
      {"session_id":"s","transcript_path":"/t.jsonl","cwd":"/workspace","hook_event_name":"BeforeTool",\
      "timestamp":"2026-12-02T16:11:43.102Z","tool_name":"run_shell_command",\
      "tool_input":{"command":"rm -rf /workspace/build","description":"clean"}}""";

  private static final String READ =
      """
      {"session_id":"s","cwd":"/workspace","hook_event_name":"BeforeTool","tool_name":"read_file",\
      "tool_input":{"file_path":"/workspace/src/Main.java"}}""";

  @TempDir Path tmp;
  private SidecarFixture sidecar;

  @BeforeAll
  void startSidecar(@TempDir Path dir) throws Exception {
    assumeThat(HookScript.BASH).as("bash is needed to run the hook client").isPresent();
    sidecar = LiveSidecar.start(dir);
  }

  @AfterAll
  void stopSidecar() {
    if (sidecar != null) {
      sidecar.close();
    }
  }

  private HookScript hook() throws Exception {
    return HookScript.forTransport(Transport.DEV_TCP, tmp);
  }

  private static JsonNode decision(Run run) throws Exception {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return JSON.readTree(run.stdout());
  }

  @Test
  void theSidecarsAnswersPassThrough() throws Exception {
    Run allowed = hook().runFor("gemini-cli", sidecar.url(), READ);
    assertThat(allowed.stdout()).isEqualTo(sidecar.post("/v1/hooks/gemini-cli", READ).body());
    assertThat(decision(allowed).path("decision").asText()).isEqualTo("allow");
    JsonNode denied = decision(hook().runFor("gemini-cli", sidecar.url(), SHELL_RM));
    assertThat(denied.path("decision").asText()).isEqualTo("deny");
    assertThat(denied.path("reason").asText())
        .isEqualTo("Tollgate: rm is not allowed [RuleDenied; rule team-a/coding/no-rm]");
  }

  @Test
  void aSidecarThatIsDownIsAPrintedDeny() throws Exception {
    JsonNode answer = decision(hook().runFor("gemini-cli", "http://127.0.0.1:9", READ));
    assertThat(answer.path("decision").asText()).isEqualTo("deny");
    assertThat(answer.path("reason").asText())
        .startsWith("Tollgate: cannot connect to the decision point at http://127.0.0.1:9");
  }

  @Test
  void theSidecarsReasonForUnreadableInputReachesTheModel() throws Exception {
    JsonNode answer =
        decision(
            hook()
                .runFor(
                    "gemini-cli",
                    sidecar.url(),
                    "{\"hook_event_name\":\"BeforeTool\",\"tool_name\":\"mcp_github_merge\"}"));
    assertThat(answer.path("decision").asText()).isEqualTo("deny");
    assertThat(answer.path("reason").asText()).contains("without mcp_context");
  }

  @Test
  void anInputThatClaimsToBeAnotherEventIsStillDecidedBeforeTheCall() throws Exception {
    // The Claude Code client treats a PostToolUse input as after the fact; here nothing is.
    String sneaky =
        READ.replace("\"tool_input\":{", "\"tool_input\":{\"hook_event_name\":\"PostToolUse\",");
    JsonNode answer = decision(hook().runFor("gemini-cli", "http://127.0.0.1:9", sneaky));
    assertThat(answer.path("decision").asText()).isEqualTo("deny");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"decision\":\"ask\",\"reason\":\"let the user decide\"}",
        "{\"hookSpecificOutput\":{\"permissionDecision\":\"allow\"}}",
        "{}",
        "allow",
      })
  void anAnswerWithoutADecisionItKnowsIsADeny(String body) throws Exception {
    HttpServer fake =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    fake.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    fake.start();
    try {
      JsonNode answer =
          decision(
              hook().runFor("gemini-cli", "http://127.0.0.1:" + fake.getAddress().getPort(), READ));
      assertThat(answer.path("decision").asText()).isEqualTo("deny");
    } finally {
      fake.stop(0);
    }
  }

  @Test
  void theInjectedCommandPrintsADenyWhenTheClientIsMissing() throws Exception {
    String command = injectedCommand(tmp.resolve("no-such-dir/tollgate-hook").toString());
    Run run = hook().runCommand(command, sidecar.url(), READ);
    assertThat(run.exitCode()).isEqualTo(2);
    JsonNode answer = JSON.readTree(run.stdout());
    assertThat(answer.path("decision").asText()).isEqualTo("deny");
    assertThat(answer.path("reason").asText()).contains("the hook client failed or is missing");
  }

  @Test
  void theInjectedCommandPassesTheClientsDecisionAlone() throws Exception {
    Run run = hook().runCommand(injectedCommand(HookScript.SCRIPT.toString()), sidecar.url(), READ);
    assertThat(decision(run).path("decision").asText()).isEqualTo("allow");
  }

  /**
   * The command of the sample system settings shipped with the sidecar (the webhook's output, see
   * GeminiCliInjectionTest), with the hook client at {@code client}.
   */
  private static String injectedCommand(String client) throws Exception {
    try (InputStream in =
        GeminiCliHookClientTest.class.getResourceAsStream("/gemini-cli/settings.json")) {
      String command = JSON.readTree(in).at("/hooks/BeforeTool/0/hooks/0/command").asText();
      assertThat(command).startsWith("/opt/tollgate/bin/tollgate-hook gemini-cli ||");
      return command.replace("/opt/tollgate/bin/tollgate-hook", client);
    }
  }

  @Test
  void anUnknownClientBlocksBothClients() throws Exception {
    Run run = hook().runFor("codexx", sidecar.url(), READ);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stdout()).isEmpty();
    assertThat(run.stderr()).contains("unknown hook client");
  }
}
