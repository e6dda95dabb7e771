package dev.tollgate.sidecar.install;

import dev.tollgate.api.GitRewriteConfig;
import dev.tollgate.api.SidecarContract.InstallerEnv;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The injected init container: copies the hook client into the volume the agent containers mount at
 * {@code /opt/tollgate/bin}, and writes Claude Code's managed settings and managed MCP
 * configuration (given by the webhook in {@code TOLLGATE_MANAGED_SETTINGS} and {@code
 * TOLLGATE_MANAGED_MCP}) into the volume they mount at {@code /etc/claude-code}. When the webhook
 * names git remotes ({@code TOLLGATE_GIT_REMOTES}), it writes the git system configuration that
 * sends them to the sidecar's gateway beside the hook client ({@link GitRewriteConfig}): that
 * volume is mounted whatever the runtime. For runtime Codex the webhook gives {@code
 * TOLLGATE_CODEX_CONFIG} and {@code TOLLGATE_CODEX_REQUIREMENTS} instead, and the installer writes
 * them as {@code config.toml} and {@code requirements.toml} into the volume mounted at {@code
 * /etc/codex}.
 *
 * <p>{@code java -cp tollgate-sidecar.jar dev.tollgate.sidecar.install.HookInstaller BIN_DIR
 * [SETTINGS_DIR]}
 */
public final class HookInstaller {

  static final String HOOK_RESOURCE = "/tollgate/bin/tollgate-hook";
  static final String HOOK_FILE = "tollgate-hook";
  static final String SETTINGS_FILE = "managed-settings.json";

  /** Beside the settings: while it exists, Claude Code takes its MCP servers from it alone. */
  static final String MCP_FILE = "managed-mcp.json";

  /** Beside the hook client: {@code SidecarContract.Paths.GIT_CONFIG} in the agent containers. */
  static final String GIT_CONFIG_FILE = "gitconfig";

  /** Codex's system layer and its requirements, in {@code /etc/codex}. */
  static final String CODEX_CONFIG_FILE = "config.toml";

  static final String CODEX_REQUIREMENTS_FILE = "requirements.toml";

  private HookInstaller() {}

  public static void main(String[] args) {
    try {
      install(
          args,
          System.getenv(InstallerEnv.MANAGED_SETTINGS),
          System.getenv(InstallerEnv.MANAGED_MCP),
          System.getenv(InstallerEnv.GIT_REMOTES),
          System.getenv(InstallerEnv.CODEX_CONFIG),
          System.getenv(InstallerEnv.CODEX_REQUIREMENTS));
    } catch (InstallException | IOException e) {
      System.err.println("tollgate-install: " + e.getMessage());
      System.exit(1);
    }
  }

  static void install(String[] args, String settings, String mcp)
      throws IOException, InstallException {
    install(args, settings, mcp, null);
  }

  static void install(String[] args, String settings, String mcp, String gitRemotes)
      throws IOException, InstallException {
    install(args, settings, mcp, gitRemotes, null, null);
  }

  static void install(
      String[] args,
      String settings,
      String mcp,
      String gitRemotes,
      String codexConfig,
      String codexRequirements)
      throws IOException, InstallException {
    if (args.length < 1 || args.length > 2) {
      throw new InstallException("usage: HookInstaller BIN_DIR [SETTINGS_DIR]");
    }
    Path bin = Path.of(args[0]);
    Files.createDirectories(bin);
    Path hook = bin.resolve(HOOK_FILE);
    try (InputStream script = HookInstaller.class.getResourceAsStream(HOOK_RESOURCE)) {
      if (script == null) {
        throw new InstallException(
            "the hook client is missing from this jar (" + HOOK_RESOURCE + ")");
      }
      Files.copy(script, hook, StandardCopyOption.REPLACE_EXISTING);
    }
    // Readable and runnable by the agent's user, whatever it is; writable by nobody after us.
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("r-xr-xr-x"));
    if (gitRemotes != null && !gitRemotes.isBlank()) {
      String config;
      try {
        config = GitRewriteConfig.render(GitRewriteConfig.decode(gitRemotes));
      } catch (IllegalArgumentException e) {
        // The agent's GIT_CONFIG_SYSTEM names this file: better no pod than git going around the
        // gateway on a half-written configuration.
        throw new InstallException(InstallerEnv.GIT_REMOTES + ": " + e.getMessage());
      }
      writeReadOnly(bin.resolve(GIT_CONFIG_FILE), config);
    }
    if (args.length == 2 && codexConfig != null) {
      if (codexConfig.isBlank() || codexRequirements == null || codexRequirements.isBlank()) {
        throw new InstallException(
            InstallerEnv.CODEX_CONFIG
                + " and "
                + InstallerEnv.CODEX_REQUIREMENTS
                + " must both be set: without them Codex would run no hook, or let the user"
                + " switch it off");
      }
      Path dir = Path.of(args[1]);
      Files.createDirectories(dir);
      writeReadOnly(dir.resolve(CODEX_CONFIG_FILE), codexConfig);
      writeReadOnly(dir.resolve(CODEX_REQUIREMENTS_FILE), codexRequirements);
    } else if (args.length == 2) {
      if (settings == null || settings.isBlank()) {
        throw new InstallException(
            InstallerEnv.MANAGED_SETTINGS
                + " is empty: without managed settings Claude Code would run no hook");
      }
      if (mcp == null || mcp.isBlank()) {
        throw new InstallException(
            InstallerEnv.MANAGED_MCP
                + " is empty: without a managed MCP configuration Claude Code would start the MCP"
                + " servers a repository or the agent names, past the gateway");
      }
      Path dir = Path.of(args[1]);
      Files.createDirectories(dir);
      writeReadOnly(dir.resolve(SETTINGS_FILE), settings);
      writeReadOnly(dir.resolve(MCP_FILE), mcp);
    }
  }

  private static void writeReadOnly(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
  }

  /** A problem that stops the pod from starting, which is the point: fail closed. */
  static final class InstallException extends Exception {
    private static final long serialVersionUID = 1L;

    InstallException(String message) {
      super(message);
    }
  }
}
