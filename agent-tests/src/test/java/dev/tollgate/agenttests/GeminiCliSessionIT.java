package dev.tollgate.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.agenttests.model.ScriptedGeminiModel;
import dev.tollgate.agenttests.model.ToolCall;
import dev.tollgate.agenttests.model.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real Gemini CLI session (the pinned release; {@link GeminiCliLatestSessionIT} runs the
 * newest) for {@code agents/repo-coder} under the same shipped example policies as the Claude Code
 * sessions, wired by exactly the system settings the webhook injects: the scripted Gemini API asks
 * for allowed and denied shell, file and edit calls, and each test checks what really happened.
 * Gemini CLI runs with {@code --yolo}, so its own confirmations are off and only Tollgate can stop
 * a call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeminiCliSessionIT {

  private static final String SECRET = "s3cret-token-value";

  static final String WRITE = "write";
  static final String READ = "read";
  static final String EDIT = "edit";
  static final String SHELL = "shell";
  static final String FORCE_PUSH = "force-push";
  static final String QUOTED_DOTENV = "quoted-dotenv";
  static final String READ_DOTENV = "read-dotenv";
  static final String UNHOOK = "unhook";
  private static final List<String> ALLOWED = List.of(WRITE, READ, EDIT, SHELL);
  private static final List<String> DENIED =
      List.of(FORCE_PUSH, QUOTED_DOTENV, READ_DOTENV, UNHOOK);

  /** The canonical tool each scripted call is decided as. */
  private static final Map<String, String> CANONICAL =
      Map.of(
          WRITE, "Write",
          READ, "Read",
          EDIT, "Edit",
          SHELL, "Bash",
          FORCE_PUSH, "Bash",
          QUOTED_DOTENV, "Bash",
          READ_DOTENV, "Grep",
          UNHOOK, "Write");

  private Path root;
  private Path workspace;
  private ScriptedGeminiModel model;
  private GeminiCli.Run run;
  private AuditTrail audit;
  private String sidecarLog;

  /** The installed package under test ({@code target/<dir>}). */
  String packageDir() {
    return "gemini-cli";
  }

  @BeforeAll
  void playTheSession(@TempDir Path root) throws Exception {
    this.root = root;
    workspace = Files.createDirectories(root.resolve("workspace"));
    Files.writeString(workspace.resolve(".env"), "API_TOKEN=" + SECRET + "\n");
    Path notes = workspace.resolve("notes.txt");
    model =
        new ScriptedGeminiModel(
            List.of(
                ToolCall.of(
                    WRITE,
                    "write_file",
                    Map.of("file_path", notes.toString(), "content", "first draft\n")),
                ToolCall.of(READ, "read_file", Map.of("file_path", notes.toString())),
                ToolCall.of(
                    EDIT,
                    "replace",
                    Map.of(
                        "file_path",
                        notes.toString(),
                        "instruction",
                        "Mark the draft as edited.",
                        "old_string",
                        "first draft",
                        "new_string",
                        "edited draft")),
                ToolCall.of(
                    SHELL,
                    "run_shell_command",
                    Map.of("command", "echo built > build.marker", "description", "build")),
                ToolCall.of(
                    FORCE_PUSH,
                    "run_shell_command",
                    Map.of(
                        "command",
                        "git push --force origin main; echo pushed > push.marker",
                        "description",
                        "push")),
                // The program's name in odd quoting: the shell reads cat, so does the policy.
                ToolCall.of(
                    QUOTED_DOTENV,
                    "run_shell_command",
                    Map.of("command", "c'a't \".e\"nv > leaked.txt", "description", "copy env")),
                // Gemini CLI refuses read_file on .env by itself; its search tool does not.
                ToolCall.of(
                    READ_DOTENV,
                    "grep_search",
                    Map.of("pattern", "API_TOKEN", "include_pattern", ".env", "dir_path", ".")),
                // What would switch Tollgate's hook off in a later session.
                ToolCall.of(
                    UNHOOK,
                    "write_file",
                    Map.of(
                        "file_path",
                        workspace.resolve(".gemini/settings.json").toString(),
                        "content",
                        "{\"hooksConfig\": {\"disabled\": [\"tollgate\"]}}\n"))));
    Path bundle = RepoCoderBundle.write(workspace, root.resolve("bundle.json"));
    try (SidecarProcess sidecar = SidecarProcess.start(bundle, root, "/readyz")) {
      Path settings =
          GeminiCli.systemSettings(HookSettings.HOOK_CLIENT.toString(), sidecar.url(), s -> {});
      run =
          GeminiCli.run(
              packageDir(), workspace, root.resolve("home"), settings, model.baseUrl(), Map.of());
      sidecar.stop(); // a barrier: every audit line of the session is on disk before it is read
      audit = new AuditTrail(sidecar.audit());
      sidecarLog = sidecar.log();
    }
  }

  @AfterAll
  void stopModel() {
    if (model != null) {
      model.close();
    }
  }

  @Test
  void theSessionPlayedTheWholeScriptAndEnded() throws Exception {
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.stderr()).as("the system settings were read").doesNotContain("Skipping system");
    assertThat(model.servedCalls()).containsExactlyElementsOf(concat(ALLOWED, DENIED));
    assertThat(model.toolResults())
        .extracting(ToolResult::toolUseId)
        .containsExactlyElementsOf(concat(ALLOWED, DENIED));
  }

  @Test
  void allowedCallsRan() {
    assertThat(workspace.resolve("notes.txt")).hasContent("edited draft");
    assertThat(workspace.resolve("build.marker")).hasContent("built");
    assertThat(model.resultFor(READ).content()).contains("first draft");
    ALLOWED.forEach(
        id ->
            assertThat(model.resultFor(id).isError())
                .as("%s: %s", id, model.resultFor(id))
                .isFalse());
  }

  @Test
  void deniedCallsLeftNoTrace() {
    assertThat(workspace.resolve("push.marker")).doesNotExist();
    assertThat(workspace.resolve("leaked.txt")).doesNotExist();
    assertThat(workspace.resolve(".gemini/settings.json")).doesNotExist();
    assertThat(model.resultFor(READ_DOTENV).content()).doesNotContain(SECRET);
  }

  @Test
  void theModelReceivedEachDenyReasonAsAnError() {
    Map<String, String> reasons =
        Map.of(
            FORCE_PUSH, "force pushes are not allowed; push a new commit instead",
            QUOTED_DOTENV, ".env files hold secrets; read .env.example for the variable names",
            READ_DOTENV, ".env files hold secrets; read .env.example for the variable names",
            UNHOOK, "agent settings are managed by the platform; do not edit .claude/ or .gemini/");
    for (String id : DENIED) {
      ToolResult result = model.resultFor(id);
      assertThat(result.isError()).as("%s", result).isTrue();
      assertThat(result.content())
          .as(id)
          .startsWith("Tool execution blocked: Tollgate: " + reasons.get(id));
    }
  }

  @Test
  void theAuditTrailMatchesTheCallsOneToOne() {
    // Gemini CLI names no call id: the sidecar gives each call one, in the order they came.
    List<String> ids = new ArrayList<>(audit.correlationIds());
    List<String> script = concat(ALLOWED, DENIED);
    assertThat(ids).as(sidecarLog).hasSameSizeAs(script);
    for (int i = 0; i < script.size(); i++) {
      String call = script.get(i);
      String outcome = ALLOWED.contains(call) ? "tool_call.allowed" : "tool_call.denied";
      assertThat(audit.types(ids.get(i))).as(call).containsExactly("tool_call.attempted", outcome);
      JsonNode decided = audit.event(ids.get(i), outcome);
      assertThat(decided.path("tool").asText()).as(call).isEqualTo(CANONICAL.get(call));
      assertThat(decided.path("source").asText()).isEqualTo("gemini-cli-hook");
      assertThat(decided.path("principal").asText()).isEqualTo(RepoCoderBundle.PRINCIPAL);
    }
  }

  @Test
  void eachDenialNamesTheRuleThatDecidedIt() {
    List<String> ids = new ArrayList<>(audit.correlationIds());
    List<String> script = concat(ALLOWED, DENIED);
    Map<String, String> rules =
        Map.of(
            FORCE_PUSH, "agents/shell/no-force-push",
            QUOTED_DOTENV, "agents/secrets/no-dotenv-files",
            READ_DOTENV, "agents/secrets/no-dotenv-files",
            UNHOOK, "agents/workspace-files/no-agent-settings");
    rules.forEach(
        (call, rule) ->
            assertThat(
                    audit
                        .event(ids.get(script.indexOf(call)), "tool_call.denied")
                        .path("rules")
                        .toString())
                .as(call)
                .contains(rule));
  }

  @Test
  void theModelServerSawNoRequestItDoesNotImplement() {
    assertThat(model.unknownRequests()).isEmpty();
  }

  static List<String> concat(List<String> first, List<String> second) {
    return Stream.concat(first.stream(), second.stream()).toList();
  }
}
