package dev.tollgate.webhook.injection;

import dev.tollgate.api.SidecarContract;
import dev.tollgate.api.SidecarContract.AgentEnv;
import dev.tollgate.api.SidecarContract.Paths;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Codex CLI's system-level files in {@code /etc/codex}, which the user's {@code
 * ~/.codex/config.toml}, a repository's {@code .codex/config.toml} and {@code -c} flags cannot
 * override (checked against Codex 0.169.1 and 0.171.0, agent-tests/CodexSessionIT):
 *
 * <ul>
 *   <li>{@code config.toml}, the system layer: the PreToolUse and PostToolUse hooks that run the
 *       hook client for every tool, and the identity's MCP servers, each at the sidecar's gateway.
 *       Hooks of the system layer are managed: Codex runs them without a trust review and no hook
 *       state of the user can switch them off.
 *   <li>{@code requirements.toml}, the constraints: only managed hooks run ({@code
 *       allow_managed_hooks_only}), the {@code hooks} feature stays on (else {@code -c
 *       features.hooks=false} would switch every hook off), PTY sessions stay off ({@code
 *       unified_exec_tty = false}: {@code write_stdin} into a running command's terminal never
 *       passes the PreToolUse hook, so no command may keep a terminal to type into), and the MCP
 *       allowlist names exactly the gateway's URLs (empty: no server at all).
 * </ul>
 *
 * <p>Codex lets a call run when its hook exits with any status but 0 and 2, exits 2 without a
 * reason on stderr, times out or cannot be started; so the deadlines nest as for Claude Code
 * (approval wait &lt; the client's deadline &lt; the hook timeout), and the command maps every
 * other failure to exit 2 with a reason.
 */
public final class CodexManagedConfig {

  public static final String CONFIG_FILE = "config.toml";
  public static final String REQUIREMENTS_FILE = "requirements.toml";

  /**
   * Run after the client in the PreToolUse command: a client that is missing, not executable or
   * crashed exits 126/127/1, which Codex treats as a failed hook and runs the call; this turns
   * every status but 0 into 2 with a reason on stderr, which blocks it. The client itself exits 0
   * or 2 with a reason, so nothing changes while it works.
   */
  static final String FAIL_CLOSED_SUFFIX =
      " || { echo Tollgate: the hook client failed, the call is blocked >&2; exit 2; }";

  private static final Pattern PLAIN_PATH = Pattern.compile("/[A-Za-z0-9._/+-]+");
  private static final Pattern PLAIN_URL = Pattern.compile("https?://[A-Za-z0-9.:\\[\\]/_-]+");

  private CodexManagedConfig() {}

  /** {@code /etc/codex/config.toml} for an identity, with the client and sidecar of a pod. */
  public static String configToml(int approvalTimeoutSeconds, Collection<String> mcpServers) {
    return configToml(
        approvalTimeoutSeconds, mcpServers, Paths.HOOK_COMMAND, SidecarContract.decisionUrl());
  }

  /**
   * The same with the hook client at {@code hookCommand} and the decision point at {@code
   * decisionUrl}: what the agent tests hand to a real Codex outside a pod.
   */
  public static String configToml(
      int approvalTimeoutSeconds,
      Collection<String> mcpServers,
      String hookCommand,
      String decisionUrl) {
    if (!PLAIN_PATH.matcher(hookCommand).matches()) {
      throw new IllegalArgumentException(
          "hook command must be an absolute path without shell metacharacters: " + hookCommand);
    }
    if (!PLAIN_URL.matcher(decisionUrl).matches()) {
      throw new IllegalArgumentException("decision URL must be plain: " + decisionUrl);
    }
    // The hook inherits Codex's environment, which the agent's launcher chooses: the client's
    // settings are pinned on its own command line instead.
    String client =
        String.join(
            " ",
            List.of(
                AgentEnv.URL + "=" + decisionUrl,
                AgentEnv.HOOK_TIMEOUT_SECONDS
                    + "="
                    + ManagedSettings.clientDeadlineSeconds(approvalTimeoutSeconds),
                AgentEnv.HOOK_CONNECT_TIMEOUT_SECONDS + "=2",
                AgentEnv.HOOK_TRANSPORT + "=auto",
                hookCommand,
                "codex"));
    int timeout = ManagedSettings.hookTimeoutSeconds(approvalTimeoutSeconds);
    StringBuilder toml = new StringBuilder();
    toml.append("# Tollgate: the Codex CLI's system configuration, written by the admission\n")
        .append("# webhook. requirements.toml beside it keeps the user from switching it off.\n")
        .append(features())
        .append('\n')
        .append(hook("PreToolUse", client + FAIL_CLOSED_SUFFIX, timeout))
        .append('\n')
        // After the call ran there is nothing left to block: the client exits 1 on purpose there.
        .append(hook("PostToolUse", client, timeout));
    for (String server : mcpServers) {
      toml.append("\n[mcp_servers.")
          .append(server)
          .append("]\nurl = ")
          .append(string(ManagedMcpConfig.url(decisionUrl, server)))
          .append('\n');
    }
    return toml.toString();
  }

  /** {@code /etc/codex/requirements.toml}: what no other configuration layer may change. */
  public static String requirementsToml(Collection<String> mcpServers) {
    return requirementsToml(mcpServers, SidecarContract.decisionUrl());
  }

  /** The same with the sidecar at {@code decisionUrl}. */
  public static String requirementsToml(Collection<String> mcpServers, String decisionUrl) {
    StringBuilder toml = new StringBuilder();
    toml.append("# Tollgate: constraints on every other Codex configuration layer.\n")
        .append("allow_managed_hooks_only = true\n");
    if (mcpServers.isEmpty()) {
      // An empty allowlist disables every MCP server a user or repository configures.
      toml.append("mcp_servers = {}\n");
    }
    toml.append('\n').append(features());
    for (String server : mcpServers) {
      toml.append("\n[mcp_servers.")
          .append(server)
          .append(".identity]\nurl = ")
          .append(string(ManagedMcpConfig.url(decisionUrl, server)))
          .append('\n');
    }
    return toml.toString();
  }

  private static String features() {
    return "[features]\nhooks = true\nunified_exec_tty = false\n";
  }

  private static String hook(String event, String command, int timeout) {
    return "[[hooks."
        + event
        + "]]\nmatcher = \".*\"\n[[hooks."
        + event
        + ".hooks]]\ntype = \"command\"\ncommand = "
        + string(command)
        + "\ntimeout = "
        + timeout
        + "\n";
  }

  /** A TOML basic string. */
  static String string(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
