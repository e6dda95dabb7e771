package dev.tollgate.webhook.injection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.SidecarContract;
import dev.tollgate.api.SidecarContract.AgentEnv;
import dev.tollgate.api.SidecarContract.Paths;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Gemini CLI's system settings file ({@code /etc/gemini-cli/settings.json}), the one settings
 * source that is merged last, above the user's ({@code ~/.gemini/settings.json}) and the
 * workspace's ({@code .gemini/settings.json}). It wires the hook client as a BeforeTool hook for
 * every tool and lists exactly the identity's MCP servers, each at the sidecar's gateway. Checked
 * against {@code @google/gemini-cli} 0.61 (agent-tests/GeminiCliSessionIT).
 *
 * <p>Gemini CLI lets a call run when its hook prints nothing (whatever the exit status), times out
 * or is killed, and blocks it on a JSON {@code {"decision": "deny"}} or on text with an exit status
 * other than 0 and 1. It has no fail-closed switch, so the command fails closed by itself: the
 * client always prints a decision and exits 0 with it, and any other exit (a missing or broken
 * client, a killed one) makes the command print a deny. Gemini CLI also reads the file only when it
 * and every directory above it belong to root and are writable by nobody else, and skips it, with a
 * warning on stderr, otherwise: the webhook mounts it read-only from a root-owned projection.
 */
public final class GeminiCliSettings {

  /** Where Gemini CLI reads its system settings on Linux (and where the webhook mounts them). */
  public static final String PATH = "/etc/gemini-cli/settings.json";

  /** The variable that would move the system settings elsewhere: pinned to {@link #PATH}. */
  public static final String PATH_ENV = "GEMINI_CLI_SYSTEM_SETTINGS_PATH";

  /** The hook's name: what Gemini CLI's {@code hooksConfig.disabled} would have to list. */
  static final String HOOK_NAME = "tollgate";

  /**
   * An MCP allowlist entry that names no server: Gemini CLI treats an empty allowlist as "all
   * servers", so an identity without MCP servers gets this one, also excluded, which admits none.
   */
  static final String NO_SERVER = "tollgate-no-mcp-servers";

  private static final Pattern PLAIN_PATH = Pattern.compile("/[A-Za-z0-9._/+-]+");

  private static final ObjectMapper JSON = new ObjectMapper();

  private GeminiCliSettings() {}

  public static String json(int approvalTimeoutSeconds, Collection<String> mcpServers) {
    return json(
        approvalTimeoutSeconds, mcpServers, Paths.HOOK_COMMAND, SidecarContract.decisionUrl());
  }

  /** The deny the command prints when the client exits other than 0. */
  static String failClosedSuffix() {
    return " || { printf '%s\\n' '{\"decision\":\"deny\",\"reason\":\"Tollgate: the hook client"
        + " failed or is missing; the call is blocked\"}'; exit 2; }";
  }

  /**
   * The same wiring with the hook client at {@code hookCommand} and the decision point at {@code
   * decisionUrl}: what the agent tests hand to a real Gemini CLI outside a pod.
   */
  public static String json(
      int approvalTimeoutSeconds,
      Collection<String> mcpServers,
      String hookCommand,
      String decisionUrl) {
    if (!PLAIN_PATH.matcher(hookCommand).matches()) {
      throw new IllegalArgumentException(
          "hook command must be an absolute path without shell metacharacters: " + hookCommand);
    }
    ObjectNode settings = JSON.createObjectNode();
    // With folder trust on, Gemini CLI processes no settings hooks at all in a folder it does not
    // trust (interactive sessions then run every tool unhooked; headless ones refuse to start).
    // Off, every folder is trusted, so the hook always runs.
    settings.putObject("security").putObject("folderTrust").put("enabled", false);
    // A boolean of the system file wins over the user's and the workspace's.
    settings.putObject("hooksConfig").put("enabled", true);
    ObjectNode hook =
        settings
            .putObject("hooks")
            .putArray("BeforeTool")
            .addObject()
            .putArray("hooks")
            .addObject();
    hook.put("name", HOOK_NAME);
    hook.put("type", "command");
    hook.put("command", hookCommand + " gemini-cli" + failClosedSuffix());
    // Milliseconds; Gemini CLI runs the call once this passes, so it stays above the client's own
    // deadline, which stays above the approval wait.
    hook.put("timeout", ManagedSettings.hookTimeoutSeconds(approvalTimeoutSeconds) * 1000);
    ObjectNode env = hook.putObject("env");
    // The hook's env is laid over Gemini CLI's own environment, which the agent may have shaped.
    env.put(AgentEnv.URL, decisionUrl);
    env.put(
        AgentEnv.HOOK_TIMEOUT_SECONDS,
        String.valueOf(ManagedSettings.clientDeadlineSeconds(approvalTimeoutSeconds)));
    env.put(AgentEnv.HOOK_CONNECT_TIMEOUT_SECONDS, "2");
    env.put(AgentEnv.HOOK_TRANSPORT, "auto");
    env.put("BASH_ENV", "");
    for (String loader : new String[] {"LD_PRELOAD", "LD_AUDIT", "LD_LIBRARY_PATH"}) {
      env.put(loader, "");
    }
    // mcpServers merges per server name with the system file last: a user's or workspace's server
    // of the same name is replaced whole by the gateway's entry.
    ObjectNode servers = settings.putObject("mcpServers");
    ObjectNode mcp = settings.putObject("mcp");
    ArrayNode allowed = mcp.putArray("allowed");
    for (String server : mcpServers) {
      servers.putObject(server).put("httpUrl", ManagedMcpConfig.url(decisionUrl, server));
      allowed.add(server);
    }
    if (mcpServers.isEmpty()) {
      allowed.add(NO_SERVER);
      mcp.putArray("excluded").add(NO_SERVER);
    }
    return settings.toPrettyString() + "\n";
  }
}
