package dev.tollgate.sidecar.hookclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.sidecar.SidecarFixture;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.AuditEventType;
import dev.tollgate.sidecar.hookclient.HookScript.Run;
import dev.tollgate.sidecar.hookclient.HookScript.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real {@code bin/tollgate-hook} against a live sidecar, a closed port, a server that never
 * answers and servers that answer badly, over both transports (curl, and bash's /dev/tcp when curl
 * is not on PATH). Claude Code lets a tool run when its hook fails or answers badly, so every
 * failure must come out as a printed deny and exit 2 (docs/design.md §4.5).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TollgateHookTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Hook inputs as Claude Code 2.1 sends them, with the fields parsers must ignore. */
  private static final String PRE_READ =
      """
      {"session_id":"3f1c2a9e-6b1d-4a57-9a43-0c6f8e0b7d21","transcript_path":"/root/.claude/projects/-workspace/3f1c2a9e.jsonl",\
      "cwd":"/workspace","permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Read",\
      "tool_input":{"file_path":"/workspace/src/Main.java"},"tool_use_id":"toolu_01ReadAllowed",\
      "prompt_id":"prompt-7","effort":{"level":"medium"}}""";

  private static final String PRE_RM =
      """
      {"session_id":"3f1c2a9e-6b1d-4a57-9a43-0c6f8e0b7d21","transcript_path":"/root/.claude/projects/-workspace/3f1c2a9e.jsonl",\
      "cwd":"/workspace","permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Bash",\
      "tool_input":{"command":"rm -rf /workspace/build","description":"Clean the build"},"tool_use_id":"toolu_01BashDenied",\
      "prompt_id":"prompt-7","effort":{"level":"medium"}}""";
  private static final String POST_READ =
      """
      {"session_id":"3f1c2a9e-6b1d-4a57-9a43-0c6f8e0b7d21","transcript_path":"/root/.claude/projects/-workspace/3f1c2a9e.jsonl",\
      "cwd":"/workspace","permission_mode":"default","hook_event_name":"PostToolUse","tool_name":"Read",\
      "tool_input":{"file_path":"/workspace/src/Main.java"},"tool_use_id":"toolu_01ReadAllowed",\
      "tool_response":{"type":"text","file":{"filePath":"/workspace/src/Main.java","content":"class Main {}","numLines":1}},\
      "duration_ms":4,"prompt_id":"prompt-7"}""";
  private static final String POST_FAILURE =
      """
      {"session_id":"3f1c2a9e-6b1d-4a57-9a43-0c6f8e0b7d21","transcript_path":"/root/.claude/projects/-workspace/3f1c2a9e.jsonl",\
      "cwd":"/workspace","permission_mode":"default","hook_event_name":"PostToolUseFailure","tool_name":"Bash",\
      "tool_input":{"command":"make test"},"tool_use_id":"toolu_01BashFailed","error":"Exit code 2","duration_ms":812}""";

  @TempDir Path tmp;

  private SidecarFixture sidecar;

  @BeforeAll
  void startSidecar(@TempDir Path dir) throws Exception {
    assumeThat(HookScript.BASH).as("bash is needed to run the hook client").isPresent();
    assertThat(HookScript.SCRIPT).as("the hook client").isRegularFile();
    sidecar = LiveSidecar.start(dir);
  }

  @AfterAll
  void stopSidecar() {
    if (sidecar != null) {
      sidecar.close();
    }
  }

  private HookScript hook(Transport transport) throws IOException {
    if (transport == Transport.CURL) {
      assumeThat(HookScript.CURL).as("curl installed").isPresent();
    }
    return HookScript.forTransport(transport, tmp);
  }

  // (a) and (e): answers of the live sidecar pass through unchanged, over either transport.

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anAllowOfTheSidecarPassesThroughUnchangedWithExitZero(Transport transport) throws Exception {
    Run run = hook(transport).run(sidecar.url(), PRE_READ);

    assertThat(run.exitCode()).isZero();
    assertThat(run.stderr()).isEmpty();
    assertThat(run.stdout()).isEqualTo(sidecar.post("/v1/hooks/claude-code", PRE_READ).body());
    JsonNode output = JSON.readTree(run.stdout()).get("hookSpecificOutput");
    assertThat(output.get("hookEventName").asText()).isEqualTo("PreToolUse");
    assertThat(output.get("permissionDecision").asText()).isEqualTo("allow");
    assertThat(output.get("permissionDecisionReason").asText())
        .startsWith("Tollgate: ")
        .contains("team-a/coding/files");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aDenyOfTheSidecarPassesThroughUnchangedWithExitZero(Transport transport) throws Exception {
    Run run = hook(transport).run(sidecar.url(), PRE_RM);

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).isEqualTo(sidecar.post("/v1/hooks/claude-code", PRE_RM).body());
    JsonNode output = JSON.readTree(run.stdout()).get("hookSpecificOutput");
    assertThat(output.get("permissionDecision").asText()).isEqualTo("deny");
    assertThat(output.get("permissionDecisionReason").asText())
        .isEqualTo("Tollgate: rm is not allowed [RuleDenied; rule team-a/coding/no-rm]");
  }

  // (f): the Post events are recorded and answered with an empty object.

  @ParameterizedTest
  @EnumSource(Transport.class)
  void postToolUseIsRecordedAndAnsweredWithAnEmptyObject(Transport transport) throws Exception {
    Run run = hook(transport).run(sidecar.url(), POST_READ);

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).isEqualTo("{}");
    assertThat(eventsOf("toolu_01ReadAllowed")).contains(AuditEventType.EXECUTED);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void postToolUseFailureIsRecordedAndAnsweredWithAnEmptyObject(Transport transport)
      throws Exception {
    Run run = hook(transport).run(sidecar.url(), POST_FAILURE);

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).isEqualTo("{}");
    assertThat(eventsOf("toolu_01BashFailed")).contains(AuditEventType.FAILED);
  }

  /**
   * A large input with multi-byte characters, quotes, backslashes and newlines: the /dev/tcp path
   * must send Content-Length in bytes, not characters, or the sidecar would wait for bytes that
   * never come (or cut the JSON short).
   */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void aLargeInputWithMultiByteCharactersArrivesWhole(Transport transport) throws Exception {
    String content = "Grüße, 世界 ✓ \\\"quoted\\\" \\\\ back\\nslash\\t\\u0000 ".repeat(6_000);
    String input =
        PRE_READ
            .replace("\"tool_name\":\"Read\"", "\"tool_name\":\"Write\"")
            .replace(
                "{\"file_path\":\"/workspace/src/Main.java\"}",
                "{\"file_path\":\"/workspace/notes.txt\",\"content\":\"" + content + "\"}");
    assertThat(input.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(300_000);

    Run run = hook(transport).run(sidecar.url(), input);

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(JSON.readTree(run.stdout()).at("/hookSpecificOutput/permissionDecision").asText())
        .isEqualTo("allow");
    assertThat(run.stdout()).isEqualTo(sidecar.post("/v1/hooks/claude-code", input).body());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void inputTheSidecarCannotReadIsDeniedWithExitTwo(Transport transport) throws Exception {
    Run run =
        hook(transport).run(sidecar.url(), "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":");

    assertDenied(run, "refused the hook input (HTTP 400)");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void emptyInputIsDeniedWithoutAskingTheSidecar(Transport transport) throws Exception {
    Run run = hook(transport).run(sidecar.url(), "");

    assertDenied(run, "empty hook input on stdin");
  }

  // (b): nothing listens.

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aClosedPortIsDeniedWithExitTwoAndTheReasonOnStderr(Transport transport) throws Exception {
    Run run = hook(transport).run("http://127.0.0.1:" + closedPort(), PRE_READ);

    assertDenied(run, "cannot connect to the decision point at http://127.0.0.1:");
  }

  /** The tool has run already: nothing to block, so a non-blocking error, not a deny. */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void aPostEventThatCannotBeRecordedIsANonBlockingErrorWithExitOne(Transport transport)
      throws Exception {
    Run run = hook(transport).run("http://127.0.0.1:" + closedPort(), POST_READ);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stdout()).isEmpty();
    assertThat(run.stderr()).startsWith("tollgate-hook: cannot connect to the decision point");
  }

  /** A tool_input carrying its own "hook_event_name" cannot turn a PreToolUse into a Post event. */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void aPreToolUseDisguisedAsPostIsStillDeniedOnFailure(Transport transport) throws Exception {
    String disguised =
        PRE_READ.replace(
            "{\"file_path\":\"/workspace/src/Main.java\"}",
            "{\"file_path\":\"/workspace/src/Main.java\",\"hook_event_name\":\"PostToolUse\"}");

    Run run = hook(transport).run("http://127.0.0.1:" + closedPort(), disguised);

    assertDenied(run, "cannot connect");
  }

  // (c): a server that accepts and never answers.

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aServerThatNeverAnswersIsDeniedWhenTheDeadlinePasses(Transport transport) throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> held = new CopyOnWriteArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (!silent.isClosed()) {
                    held.add(silent.accept());
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      try {
        Run run =
            hook(transport)
                .run(
                    "http://127.0.0.1:" + silent.getLocalPort(),
                    PRE_READ,
                    Map.of("TOLLGATE_HOOK_TIMEOUT_SECONDS", "2"));

        assertDenied(
            run,
            "no answer from the decision point at http://127.0.0.1:"
                + silent.getLocalPort()
                + " within 2s");
        assertThat(run.millis()).isBetween(1_900L, 5_000L);
        assertThat(held).as("the client did connect").isNotEmpty();
      } finally {
        for (Socket socket : held) {
          socket.close();
        }
      }
    }
  }

  // (d): answers that are not a usable hook answer.

  @ParameterizedTest(name = "{0}: HTTP {1} {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      CURL    | 500 | '{"error":"boom"}'                                        | answered HTTP 500
      DEV_TCP | 500 | '{"error":"boom"}'                                        | answered HTTP 500
      CURL    | 503 | ''                                                       | answered HTTP 503
      DEV_TCP | 503 | ''                                                       | answered HTTP 503
      CURL    | 200 | 'allow'                                                  | unreadable answer (not a JSON object)
      DEV_TCP | 200 | 'allow'                                                  | unreadable answer (not a JSON object)
      CURL    | 200 | ''                                                       | unreadable answer (not a JSON object)
      DEV_TCP | 200 | ''                                                       | unreadable answer (not a JSON object)
      CURL    | 200 | '{"permissionDecision":"allow"}'                         | without a PreToolUse permissionDecision
      DEV_TCP | 200 | '{"permissionDecision":"allow"}'                         | without a PreToolUse permissionDecision
      CURL    | 200 | '{"decision":"approve"}'                                 | without a PreToolUse permissionDecision
      DEV_TCP | 200 | '{"decision":"approve"}'                                 | without a PreToolUse permissionDecision
      CURL    | 200 | '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"ask"}}' | without a PreToolUse permissionDecision
      DEV_TCP | 200 | '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"ask"}}' | without a PreToolUse permissionDecision
      """)
  void anAnswerThatIsNotAValidHookAnswerIsDeniedWithExitTwo(
      Transport transport, int status, String body, String why) throws Exception {
    try (FakeSidecar fake = new FakeSidecar(status, body, false)) {
      Run run = hook(transport).run(fake.url(), PRE_READ);

      assertDenied(run, why);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theInputIsPostedUnchangedToTheHookPathBelowTheUrl(Transport transport) throws Exception {
    String answer =
        "{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"permissionDecision\":\"allow\","
            + "\"permissionDecisionReason\":\"Tollgate: fake\"}}";
    try (FakeSidecar fake = new FakeSidecar(200, answer, false)) {
      Run run = hook(transport).run(fake.url() + "/prefix/", PRE_READ);

      assertThat(run.exitCode()).isZero();
      assertThat(run.stdout()).isEqualTo(answer);
      assertThat(fake.lastPath.get()).isEqualTo("/prefix/v1/hooks/claude-code");
      assertThat(fake.lastMethod.get()).isEqualTo("POST");
      assertThat(fake.lastContentType.get()).isEqualTo("application/json");
      assertThat(new String(fake.lastBody.get(), StandardCharsets.UTF_8)).isEqualTo(PRE_READ);
    }
  }

  /** curl reads a chunked answer; the /dev/tcp fallback does not try, and fails closed. */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void aChunkedAnswerIsReadByCurlAndRefusedByTheFallback(Transport transport) throws Exception {
    String answer =
        "{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"permissionDecision\":\"allow\","
            + "\"permissionDecisionReason\":\"Tollgate: fake\"}}";
    try (FakeSidecar fake = new FakeSidecar(200, answer, true)) {
      Run run = hook(transport).run(fake.url(), PRE_READ);

      if (transport == Transport.CURL) {
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).isEqualTo(answer);
      } else {
        assertDenied(run, "chunked answer");
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "TOLLGATE_HOOK_TIMEOUT_SECONDS, 0",
    "TOLLGATE_HOOK_TIMEOUT_SECONDS, soon",
    "TOLLGATE_HOOK_CONNECT_TIMEOUT_SECONDS, -1"
  })
  void aBadDeadlineSettingIsDeniedRatherThanIgnored(String variable, String value)
      throws Exception {
    Run run = hook(Transport.DEV_TCP).run(sidecar.url(), PRE_READ, Map.of(variable, value));

    assertDenied(run, variable + " must be a whole number of seconds");
  }

  @Test
  void theFallbackNeedsAPlainHttpUrl() throws Exception {
    Run run = hook(Transport.DEV_TCP).run("https://127.0.0.1:" + closedPort(), PRE_READ);

    assertDenied(run, "TOLLGATE_URL must be http://HOST[:PORT][/PATH] without curl");
  }

  @Test
  void aReasonWithQuotesAndControlCharactersStillGivesValidJson() throws Exception {
    Run run = hook(Transport.DEV_TCP).run("ftp://\"evil\"\\\n\u0007host", PRE_READ);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(
            JSON.readTree(run.stdout()).at("/hookSpecificOutput/permissionDecisionReason").asText())
        .isEqualTo(
            "Tollgate: TOLLGATE_URL must be http://HOST[:PORT][/PATH] without curl,"
                + " got 'ftp://\"evil\"\\??host'");
  }

  /**
   * Code in BASH_ENV runs before any script of a non-interactive bash: the shebang's -p keeps it
   * (and functions exported in the environment) out when the script is executed directly.
   */
  @Test
  void codeInBashEnvCannotAnswerForTheScript() throws Exception {
    assumeThat(Path.of("/bin/bash")).as("the shebang's interpreter").isExecutable();
    Path evil = tmp.resolve("evil.sh");
    Files.writeString(
        evil,
        "printf '%s' '{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\","
            + "\"permissionDecision\":\"allow\",\"permissionDecisionReason\":\"pwned\"}}'; exit 0\n");

    Run run =
        hook(Transport.DEV_TCP)
            .runDirectly(
                "http://127.0.0.1:" + closedPort(),
                PRE_READ,
                Map.of("BASH_ENV", evil.toString(), "BASH_FUNC_printf%%", "() { echo allow; }"));

    assertDenied(run, "cannot connect");
  }

  private static void assertDenied(Run run, String why) throws IOException {
    assertThat(run.exitCode()).as("exit status; stderr: %s", run.stderr()).isEqualTo(2);
    JsonNode answer = JSON.readTree(run.stdout());
    assertThat(answer.size()).isOne();
    JsonNode output = answer.get("hookSpecificOutput");
    assertThat(output.get("hookEventName").asText()).isEqualTo("PreToolUse");
    assertThat(output.get("permissionDecision").asText()).isEqualTo("deny");
    String reason = output.get("permissionDecisionReason").asText();
    assertThat(reason).startsWith("Tollgate: ").contains(why);
    assertThat(run.stderr())
        .isEqualTo("tollgate-hook: " + reason.substring("Tollgate: ".length()) + "\n");
  }

  private List<AuditEventType> eventsOf(String correlationId) {
    List<AuditEventType> types = new ArrayList<>();
    synchronized (sidecar.events) {
      for (AuditEvent event : sidecar.events) {
        if (correlationId.equals(event.correlationId())) {
          types.add(event.type());
        }
      }
    }
    return types;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** A stand-in for the sidecar that gives one fixed answer and remembers the request. */
  private static final class FakeSidecar implements AutoCloseable {
    final AtomicReference<String> lastPath = new AtomicReference<>();
    final AtomicReference<String> lastMethod = new AtomicReference<>();
    final AtomicReference<String> lastContentType = new AtomicReference<>();
    final AtomicReference<byte[]> lastBody = new AtomicReference<>();
    private final HttpServer server;

    FakeSidecar(int status, String body, boolean chunked) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/",
          exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
              lastBody.set(in.readAllBytes());
            }
            lastPath.set(exchange.getRequestURI().getPath());
            lastMethod.set(exchange.getRequestMethod());
            lastContentType.set(exchange.getRequestHeaders().getFirst("Content-Type"));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(
                status, chunked ? 0 : bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
