package dev.tollgate.sidecar.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.api.GitRewriteConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookInstallerTest {

  @TempDir Path dir;

  @Test
  void installsTheSameHookClientAsTheRepositoryAndTheManagedSettings() throws Exception {
    HookInstaller.install(
        new String[] {dir.resolve("bin").toString(), dir.resolve("claude-code").toString()},
        "{\"allowManagedHooksOnly\": true}\n",
        "{\"mcpServers\": {}}\n");

    Path hook = dir.resolve("bin/tollgate-hook");
    assertThat(Files.readString(hook)).isEqualTo(Files.readString(Path.of("../bin/tollgate-hook")));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hook)))
        .isEqualTo("r-xr-xr-x");
    Path settings = dir.resolve("claude-code/managed-settings.json");
    assertThat(Files.readString(settings)).isEqualTo("{\"allowManagedHooksOnly\": true}\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(settings)))
        .isEqualTo("r--r--r--");
    Path mcp = dir.resolve("claude-code/managed-mcp.json");
    assertThat(Files.readString(mcp)).isEqualTo("{\"mcpServers\": {}}\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mcp)))
        .isEqualTo("r--r--r--");
  }

  @Test
  void writesCodexsSystemConfigAndRequirementsReadOnly() throws Exception {
    HookInstaller.install(
        new String[] {dir.resolve("bin").toString(), dir.resolve("codex").toString()},
        null,
        null,
        null,
        "[features]\nhooks = true\n",
        "allow_managed_hooks_only = true\n");
    Path config = dir.resolve("codex/config.toml");
    Path requirements = dir.resolve("codex/requirements.toml");
    assertThat(Files.readString(config)).isEqualTo("[features]\nhooks = true\n");
    assertThat(Files.readString(requirements)).isEqualTo("allow_managed_hooks_only = true\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(requirements)))
        .isEqualTo("r--r--r--");
    assertThat(dir.resolve("codex/managed-settings.json")).doesNotExist();
  }

  @Test
  void refusesCodexWiringWithoutItsRequirements() {
    String[] args = {dir.resolve("bin").toString(), dir.resolve("codex").toString()};
    assertThatThrownBy(() -> HookInstaller.install(args, null, null, null, "[features]\n", ""))
        .hasMessageContaining("TOLLGATE_CODEX_REQUIREMENTS");
    assertThatThrownBy(() -> HookInstaller.install(args, null, null, null, " ", "x = 1\n"))
        .hasMessageContaining("TOLLGATE_CODEX_CONFIG");
  }

  @Test
  void refusesToInstallClaudeCodeWiringWithoutSettings() {
    assertThatThrownBy(
            () ->
                HookInstaller.install(
                    new String[] {dir.resolve("bin").toString(), dir.resolve("cc").toString()},
                    "",
                    "{}"))
        .hasMessageContaining("TOLLGATE_MANAGED_SETTINGS is empty");
    assertThatThrownBy(
            () ->
                HookInstaller.install(
                    new String[] {dir.resolve("bin").toString(), dir.resolve("cc").toString()},
                    "{}",
                    null))
        .hasMessageContaining("TOLLGATE_MANAGED_MCP is empty");
    assertThat(dir.resolve("cc/managed-settings.json"))
        .as("no settings without the MCP lockdown")
        .doesNotExist();
    assertThatThrownBy(() -> HookInstaller.install(new String[0], null, null))
        .hasMessageContaining("usage");
  }

  @Test
  void installsOnlyTheHookForGenericAgents() throws Exception {
    HookInstaller.install(new String[] {dir.resolve("bin").toString()}, null, null);
    assertThat(dir.resolve("bin/tollgate-hook")).exists();
  }

  @Test
  void writesTheGitRewriteBesideTheHookClientReadOnly() throws Exception {
    HookInstaller.install(
        new String[] {dir.resolve("bin").toString()},
        null,
        null,
        "shop https://github.com/acme/shop.git\n");

    Path config = dir.resolve("bin/gitconfig");
    assertThat(Files.readString(config))
        .isEqualTo(
            GitRewriteConfig.render(
                List.of(new GitRewriteConfig.Remote("shop", "https://github.com/acme/shop.git"))))
        .contains("[url \"http://127.0.0.1:9440/git/shop/\"]");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
        .isEqualTo("r--r--r--");
  }

  @Test
  void writesNoGitConfigurationWithoutRemotesAndRefusesAGarbledList() throws Exception {
    HookInstaller.install(new String[] {dir.resolve("bin").toString()}, null, null, "");
    assertThat(dir.resolve("bin/gitconfig")).doesNotExist();
    assertThatThrownBy(
            () ->
                HookInstaller.install(
                    new String[] {dir.resolve("bin2").toString()},
                    null,
                    null,
                    "shop http://github.com/acme/shop\n"))
        .isInstanceOf(HookInstaller.InstallException.class)
        .hasMessageContaining("TOLLGATE_GIT_REMOTES");
  }
}
