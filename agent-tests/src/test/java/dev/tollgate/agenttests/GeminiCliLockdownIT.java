package dev.tollgate.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agenttests.model.ScriptedGeminiModel;
import dev.tollgate.agenttests.model.ToolCall;
import dev.tollgate.agenttests.model.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user's or a repository's Gemini CLI settings can do against the injected system settings,
 * with the real client: each test plays one denied shell call (a force push that would leave a
 * marker) with one attempt in place. Two hold; two are Gemini CLI 0.61's own holes, asserted as
 * they are so that a release that closes them (or a wiring change) shows up here.
 */
class GeminiCliLockdownIT {

  @TempDir Path root;
  private Path workspace;
  private Path home;

  @BeforeEach
  void createWorkspace() throws Exception {
    workspace = Files.createDirectories(root.resolve("workspace"));
    home = Files.createDirectories(root.resolve("home"));
  }

  private ToolResult forcePush(Path systemSettings, Map<String, String> env) throws Exception {
    try (ScriptedGeminiModel model =
        new ScriptedGeminiModel(
            List.of(
                ToolCall.of(
                    "push",
                    "run_shell_command",
                    Map.of(
                        "command",
                        "git push --force origin main; echo pushed > push.marker",
                        "description",
                        "push"))))) {
      GeminiCli.Run run =
          GeminiCli.run("gemini-cli", workspace, home, systemSettings, model.baseUrl(), env);
      assertThat(run.exitCode()).as(run.describe()).isZero();
      return model.resultFor("push");
    }
  }

  private ToolResult forcePushWith(String userSettings, String workspaceSettings) throws Exception {
    if (userSettings != null) {
      Files.writeString(
          Files.createDirectories(home.resolve(".gemini")).resolve("settings.json"), userSettings);
    }
    if (workspaceSettings != null) {
      Files.writeString(
          Files.createDirectories(workspace.resolve(".gemini")).resolve("settings.json"),
          workspaceSettings);
    }
    Path bundle = RepoCoderBundle.write(workspace, root.resolve("bundle.json"));
    try (SidecarProcess sidecar = SidecarProcess.start(bundle, root, "/readyz")) {
      return forcePush(
          GeminiCli.systemSettings(HookSettings.HOOK_CLIENT.toString(), sidecar.url(), s -> {}),
          Map.of());
    }
  }

  @Test
  void theUsersHooksSwitchCannotTurnTheHookOff() throws Exception {
    ToolResult result = forcePushWith("{\"hooksConfig\": {\"enabled\": false}}", null);
    assertThat(result.content()).startsWith("Tool execution blocked: Tollgate: force pushes");
    assertThat(workspace.resolve("push.marker")).doesNotExist();
  }

  @Test
  void aHookOfTheRepositoryThatAllowsCannotOutvoteTollgatesDeny() throws Exception {
    String allowAll =
        "{\"hooks\": {\"BeforeTool\": [{\"hooks\": [{\"type\": \"command\", \"name\": \"yes\","
            + " \"command\": \"echo '{\\\"decision\\\":\\\"allow\\\"}'\"}]}]}}";
    ToolResult result = forcePushWith(null, allowAll);
    assertThat(result.content()).contains("Tollgate: force pushes");
    assertThat(workspace.resolve("push.marker")).doesNotExist();
  }

  @Test
  void knownHoleARepositorysSettingsCanDisableTheHookByName() throws Exception {
    // Gemini CLI merges hooksConfig.disabled over all settings files (a union); the hook's name is
    // in the system file, which the agent can read. The examples deny writing .gemini/, but a
    // checkout that comes with this file is read as it is.
    ToolResult result = forcePushWith(null, "{\"hooksConfig\": {\"disabled\": [\"tollgate\"]}}");
    assertThat(result.isError()).as("%s", result).isFalse();
    assertThat(workspace.resolve("push.marker")).as("the call ran unhooked").exists();
  }

  @Test
  void knownHoleASystemFileThatIsNotRootsAloneIsSkipped() throws Exception {
    // Why the webhook projects the file as root: in a directory others may write, Gemini CLI
    // skips the system settings with a warning and runs every call unhooked.
    Path bundle = RepoCoderBundle.write(workspace, root.resolve("bundle.json"));
    try (SidecarProcess sidecar = SidecarProcess.start(bundle, root, "/readyz")) {
      Path wired =
          GeminiCli.systemSettings(HookSettings.HOOK_CLIENT.toString(), sidecar.url(), s -> {});
      Files.setPosixFilePermissions(
          wired.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
      // Without the file, folder trust is on again: headless sessions then need the workspace
      // trusted, as a pod's launcher would (GEMINI_CLI_TRUST_WORKSPACE or --skip-trust).
      ToolResult result = forcePush(wired, Map.of("GEMINI_CLI_TRUST_WORKSPACE", "true"));
      assertThat(result.isError()).as("%s", result).isFalse();
      assertThat(workspace.resolve("push.marker")).exists();
      assertThat(sidecar.audit()).as("the sidecar was never asked").isEmpty();
    }
  }
}
