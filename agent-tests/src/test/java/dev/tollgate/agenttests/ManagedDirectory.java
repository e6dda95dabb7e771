package dev.tollgate.agenttests;

import dev.tollgate.webhook.injection.ManagedMcpConfig;
import dev.tollgate.webhook.injection.ManagedSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Claude Code's managed directory as an agent pod has it: {@code /etc/claude-code} with the
 * webhook's {@code managed-settings.json} and {@code managed-mcp.json}, which outrank every other
 * settings source. Claude Code 2.1.197 reads them from that fixed path only, so a session sees them
 * through an overlay of {@code /etc} in a mount namespace of its own ({@code unshare}): the
 * machine's {@code /etc} is never written, and no other process sees the files.
 */
public final class ManagedDirectory {

  /** Paths that go into mount options unquoted, where a comma or colon would split them. */
  private static final String PLAIN = "/[A-Za-z0-9_./-]+";

  private static final String MOUNT_AND_RUN =
      "mount -t overlay tollgate-agent-test -o \"lowerdir=/etc,upperdir=$1,workdir=$2\" /etc"
          + " && shift 2 && exec \"$@\"";

  private final Path root;
  private final String settings;
  private final String mcp;
  private final AtomicInteger launches = new AtomicInteger();

  private ManagedDirectory(Path root, String settings, String mcp) {
    if (!root.toString().matches(PLAIN)) {
      throw new IllegalArgumentException("the overlay needs a plain path: " + root);
    }
    this.root = root;
    this.settings = settings;
    this.mcp = mcp;
  }

  /**
   * What the webhook injects for an identity with {@code mcpServers}, with the hook client and the
   * sidecar where the tests have them.
   */
  public static ManagedDirectory of(Path root, String decisionUrl, List<String> mcpServers) {
    return of(
        root,
        ManagedSettings.json(
            HookSettings.APPROVAL_TIMEOUT_SECONDS,
            mcpServers,
            HookSettings.HOOK_CLIENT.toString(),
            decisionUrl),
        ManagedMcpConfig.json(mcpServers, decisionUrl));
  }

  /** Given contents ({@code mcp} null: no managed MCP file). */
  public static ManagedDirectory of(Path root, String settings, String mcp) {
    return new ManagedDirectory(root.toAbsolutePath().normalize(), settings, mcp);
  }

  /**
   * The command that starts a program in a fresh mount namespace where {@code /etc/claude-code}
   * holds these files. {@code unshare} and {@code sh} exec, so the program keeps the PID the test
   * started and stops by it. Root may mount in a new mount namespace; anyone else gets one inside a
   * user namespace where they are root (which Claude Code then takes for root as well).
   */
  List<String> launcher() throws IOException {
    Path launch = root.resolve("launch-" + launches.incrementAndGet());
    Path upper = Files.createDirectories(launch.resolve("upper"));
    Path work = Files.createDirectories(launch.resolve("work"));
    Path dir = Files.createDirectories(upper.resolve("claude-code"));
    Files.writeString(dir.resolve("managed-settings.json"), settings);
    if (mcp != null) {
      Files.writeString(dir.resolve("managed-mcp.json"), mcp);
    }
    List<String> command =
        new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private"));
    if (!"root".equals(System.getProperty("user.name"))) {
      command.add("--map-root-user");
    }
    command.addAll(List.of("sh", "-c", MOUNT_AND_RUN, "sh", upper.toString(), work.toString()));
    return command;
  }
}
