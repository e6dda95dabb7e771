package dev.tollgate.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.agenttests.model.ScriptedModel;
import dev.tollgate.agenttests.model.ToolCall;
import dev.tollgate.agenttests.model.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real Claude Code session for {@code agents/repo-coder} under the shipped example policies:
 * the scripted model asks for allowed and denied Read, Write, Edit and Bash calls, and each test
 * checks one thing that really happened (on disk, in what the model was told, in Claude Code's own
 * report, in the sidecar's audit). Claude Code's own permissions allow all four tools, so any call
 * that did not run was stopped by Tollgate. Subclasses name the Claude Code release: {@link
 * RepoCoderSessionIT} the pinned one, {@link ClaudeCodeLatestSessionIT} the newest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RepoCoderSessionContract {

  private static final String SECRET = "s3cret-token-value";

  private static final String WRITE = "toolu_01_write";
  private static final String READ = "toolu_02_read";
  private static final String EDIT = "toolu_03_edit";
  private static final String BASH = "toolu_04_bash";
  private static final String WRITE_OUTSIDE = "toolu_05_write_outside";
  private static final String FORCE_PUSH = "toolu_06_force_push";
  private static final String READ_DOTENV = "toolu_07_read_dotenv";
  private static final String SHELL_DOTENV = "toolu_08_shell_dotenv";
  private static final List<String> ALLOWED = List.of(WRITE, READ, EDIT, BASH);
  private static final List<String> DENIED =
      List.of(WRITE_OUTSIDE, FORCE_PUSH, READ_DOTENV, SHELL_DOTENV);

  @TempDir static Path root;
  private Path workspace;
  private ScriptedModel model;
  private ClaudeCode.Run run;
  private AuditTrail audit;
  private String sidecarLog;

  /** The Claude Code binary under test. */
  abstract Path binary();

  @BeforeAll
  void playTheSession() throws Exception {
    workspace = Files.createDirectories(root.resolve("workspace"));
    Files.writeString(workspace.resolve(".env"), "API_TOKEN=" + SECRET + "\n");
    Path notes = workspace.resolve("notes.txt");
    model =
        new ScriptedModel(
            List.of(
                ToolCall.of(
                    WRITE,
                    "Write",
                    Map.of("file_path", notes.toString(), "content", "first draft\n")),
                ToolCall.of(READ, "Read", Map.of("file_path", notes.toString())),
                ToolCall.of(
                    EDIT,
                    "Edit",
                    Map.of(
                        "file_path",
                        notes.toString(),
                        "old_string",
                        "first draft",
                        "new_string",
                        "edited draft")),
                ToolCall.of(
                    BASH,
                    "Bash",
                    Map.of("command", "echo built > build.marker", "description", "build")),
                // Claude Code normalizes the path before the hook sees it; the policy sees it leave
                // the workspace.
                ToolCall.of(
                    WRITE_OUTSIDE,
                    "Write",
                    Map.of("file_path", workspace + "/../outside.txt", "content", "escaped\n")),
                ToolCall.of(
                    FORCE_PUSH,
                    "Bash",
                    Map.of(
                        "command",
                        "git push --force origin main; echo pushed > push.marker",
                        "description",
                        "push")),
                ToolCall.of(
                    READ_DOTENV, "Read", Map.of("file_path", workspace.resolve(".env").toString())),
                ToolCall.of(
                    SHELL_DOTENV,
                    "Bash",
                    Map.of("command", "cat .env > leaked.txt", "description", "copy env"))));
    Path bundle = RepoCoderBundle.write(workspace, root.resolve("bundle.json"));
    try (SidecarProcess sidecar = SidecarProcess.start(bundle, root, "/readyz")) {
      Path settings = HookSettings.write(root.resolve("settings.json"), sidecar.url());
      run =
          ClaudeCode.run(
              binary(), workspace, root.resolve("home"), settings, model.baseUrl(), Map.of());
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
  void theSessionPlayedTheWholeScriptAndEnded() {
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.result().path("subtype").asText()).as(run.describe()).isEqualTo("success");
    assertThat(model.servedCalls()).containsExactlyElementsOf(concat(ALLOWED, DENIED));
    assertThat(model.toolResults())
        .extracting(ToolResult::toolUseId)
        .containsExactlyElementsOf(concat(ALLOWED, DENIED));
  }

  @Test
  void allowedCallsRan() throws Exception {
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
    assertThat(root.resolve("outside.txt")).doesNotExist();
    assertThat(workspace.resolve("push.marker")).doesNotExist();
    assertThat(workspace.resolve("leaked.txt")).doesNotExist();
    assertThat(model.resultFor(READ_DOTENV).content()).doesNotContain(SECRET);
  }

  @Test
  void theModelReceivedEachDenyReasonAsAnError() {
    Map<String, String> reasons =
        Map.of(
            WRITE_OUTSIDE,
                "files outside " + workspace + " are off limits; work inside the repository",
            FORCE_PUSH, "force pushes are not allowed; push a new commit instead",
            READ_DOTENV, ".env files hold secrets; read .env.example for the variable names",
            SHELL_DOTENV, ".env files hold secrets; read .env.example for the variable names");
    for (String id : DENIED) {
      ToolResult result = model.resultFor(id);
      assertThat(result.isError()).as("%s", result).isTrue();
      assertThat(result.content()).as(id).contains("Tollgate: " + reasons.get(id));
    }
  }

  @Test
  void claudeCodeReportsExactlyTheDeniedCalls() {
    assertThat(run.permissionDenials())
        .as(run.describe())
        .containsExactlyInAnyOrderElementsOf(DENIED);
  }

  @Test
  void theAuditTrailMatchesTheCallsOneToOne() {
    assertThat(audit.correlationIds())
        .as(sidecarLog)
        .containsExactlyInAnyOrderElementsOf(concat(ALLOWED, DENIED));
    for (String id : ALLOWED) {
      assertThat(audit.types(id))
          .as(id)
          .containsExactly("tool_call.attempted", "tool_call.allowed", "tool_call.executed");
    }
    for (String id : DENIED) {
      assertThat(audit.types(id)).as(id).containsExactly("tool_call.attempted", "tool_call.denied");
    }
  }

  @Test
  void eachDenialNamesTheRuleThatDecidedIt() {
    Map<String, String> rules =
        Map.of(
            WRITE_OUTSIDE, "agents/workspace-files/no-writes-outside-workspace",
            FORCE_PUSH, "agents/shell/no-force-push",
            READ_DOTENV, "agents/secrets/no-dotenv-files",
            SHELL_DOTENV, "agents/secrets/no-dotenv-files");
    rules.forEach(
        (id, rule) -> {
          JsonNode denied = audit.event(id, "tool_call.denied");
          assertThat(denied.path("rules").toString()).as(id).contains(rule);
          assertThat(denied.path("principal").asText()).isEqualTo(RepoCoderBundle.PRINCIPAL);
        });
    assertThat(audit.event(WRITE_OUTSIDE, "tool_call.denied").at("/resource/path").asText())
        .as("the path the policy saw")
        .isEqualTo(root.resolve("outside.txt").toString());
  }

  @Test
  void theModelServerSawNoRequestItDoesNotImplement() {
    assertThat(model.unknownRequests()).isEmpty();
  }

  private static List<String> concat(List<String> first, List<String> second) {
    return Stream.concat(first.stream(), second.stream()).toList();
  }
}
