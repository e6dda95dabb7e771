package dev.tollgate.webhook.injection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.SidecarContract;
import dev.tollgate.api.SidecarContract.AgentEnv;
import dev.tollgate.api.SidecarContract.Paths;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Claude Code managed settings ({@code /etc/claude-code/managed-settings.json}) that wire the
 * hook client for every tool call and keep the agent from unwiring it: only these hooks, only the
 * MCP servers of {@link ManagedMcpConfig} (the sidecar's gateway), no bypass mode, and no edits of
 * the settings files by Claude Code's own file tools. Claude Code lets a call run when a hook times
 * out, so the deadlines nest: the approval wait < the hook client's deadline < Claude Code's hook
 * timeout.
 */
public final class ManagedSettings {

  /** Seconds the hook client waits beyond the identity's approval timeout. */
  static final int CLIENT_MARGIN_SECONDS = 30;

  /** Seconds Claude Code waits beyond the hook client's own deadline. */
  static final int HOOK_MARGIN_SECONDS = 30;

  /**
   * What Claude Code runs for PreToolUse. It runs a hook command through {@code /bin/sh -c} and
   * lets the call run on any exit status but 0 and 2: a client that is missing, not executable, or
   * whose interpreter the image lacks exits 126/127 and would let every call through (seen with
   * Claude Code 2.1.197, agent-tests/FaultDrillTest). The client itself only exits 0 or 2 for
   * PreToolUse, so mapping every other status to 2 changes nothing while it works.
   */
  static final String FAIL_CLOSED_SUFFIX = " || exit 2";

  /**
   * Permission rules for Claude Code's own file tools (an Edit rule covers Edit, Write and
   * NotebookEdit): the managed directory, and the project, local and user settings files wherever
   * they are ({@code //} starts an absolute path in a rule, which follows gitignore syntax). Claude
   * Code 2.1.197 applies them before it asks the hook, so they hold even where a policy would allow
   * the write; the agent's shell is Tollgate's policies' to judge.
   */
  static final List<String> DENIED_EDITS =
      List.of(
          "Edit(/" + Paths.SETTINGS_DIR + "/**)",
          "Edit(//**/.claude/settings.json)",
          "Edit(//**/.claude/settings.local.json)");

  /** A path that needs no quoting in a shell command line. */
  private static final Pattern PLAIN_PATH = Pattern.compile("/[A-Za-z0-9._/+-]+");

  private static final ObjectMapper JSON = new ObjectMapper();

  private ManagedSettings() {}

  public static int clientDeadlineSeconds(int approvalTimeoutSeconds) {
    return approvalTimeoutSeconds + CLIENT_MARGIN_SECONDS;
  }

  public static int hookTimeoutSeconds(int approvalTimeoutSeconds) {
    return clientDeadlineSeconds(approvalTimeoutSeconds) + HOOK_MARGIN_SECONDS;
  }

  /**
   * @param mcpServers the identity's MCP servers, the only ones Claude Code may connect to (each at
   *     the sidecar's gateway, as {@link ManagedMcpConfig} lists them)
   */
  public static String json(int approvalTimeoutSeconds, Collection<String> mcpServers) {
    return json(
        approvalTimeoutSeconds, mcpServers, Paths.HOOK_COMMAND, SidecarContract.decisionUrl());
  }

  /**
   * The same wiring with the hook client at {@code hookCommand} and the decision point at {@code
   * decisionUrl}: what the agent tests hand to a real Claude Code outside a pod.
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
    // User and project settings cannot add hooks of their own, nor switch these off.
    settings.put("allowManagedHooksOnly", true);
    // Belt and braces beside managed-mcp.json, which alone already decides the servers: the
    // allowlist is read from here only, and it names the gateway's URLs and nothing else (empty:
    // no server at all).
    settings.put("allowManagedMcpServersOnly", true);
    ArrayNode allowedServers = settings.putArray("allowedMcpServers");
    for (String server : mcpServers) {
      allowedServers.addObject().put("serverUrl", ManagedMcpConfig.url(decisionUrl, server));
    }
    ObjectNode permissions = settings.putObject("permissions");
    // Bypass mode would run, unasked, whatever the platform's own Claude Code permissions leave to
    // a prompt; Tollgate's hooks run in either mode.
    permissions.put("disableBypassPermissionsMode", "disable");
    ArrayNode deny = permissions.putArray("deny");
    DENIED_EDITS.forEach(deny::add);
    ObjectNode env = settings.putObject("env");
    env.put(AgentEnv.URL, decisionUrl);
    env.put(
        AgentEnv.HOOK_TIMEOUT_SECONDS,
        String.valueOf(clientDeadlineSeconds(approvalTimeoutSeconds)));
    env.put(AgentEnv.HOOK_CONNECT_TIMEOUT_SECONDS, "2");
    // Claude Code runs hook commands through a shell, which sources BASH_ENV first: a file the
    // agent could name there would answer for the hook. Managed env wins over project settings.
    env.put("BASH_ENV", "");
    // "curl" would make the client run whatever curl the PATH finds first, and a project settings
    // file can set PATH (agent-tests/ClaudeCodeLockdownIT); "auto" talks to an http:// URL with
    // bash alone.
    env.put(AgentEnv.HOOK_TRANSPORT, "auto");
    // The shell the Bash tool runs, named rather than detected, and the dynamic loader's variables
    // emptied: a project settings file could otherwise preload a library of the repository's into
    // the shell that runs the hook (and every command). Images that need a library path set it in
    // ld.so.conf instead.
    env.put("CLAUDE_CODE_SHELL", "/bin/bash");
    for (String loader : new String[] {"LD_PRELOAD", "LD_AUDIT", "LD_LIBRARY_PATH"}) {
      env.put(loader, "");
    }
    ObjectNode hooks = settings.putObject("hooks");
    for (String event : new String[] {"PreToolUse", "PostToolUse", "PostToolUseFailure"}) {
      ArrayNode matchers = hooks.putArray(event);
      ObjectNode matcher = matchers.addObject();
      matcher.put("matcher", "*");
      ObjectNode hook = matcher.putArray("hooks").addObject();
      hook.put("type", "command");
      // After the call ran there is nothing left to block: the client exits 1 on purpose there.
      hook.put(
          "command", event.equals("PreToolUse") ? hookCommand + FAIL_CLOSED_SUFFIX : hookCommand);
      hook.put("timeout", hookTimeoutSeconds(approvalTimeoutSeconds));
      if (!event.equals("PreToolUse")) {
        // After the call ran, the hook only records it: Claude Code need not wait for that
        // before the model's next turn (README.md "Cost per agent pod").
        hook.put("async", true);
      }
    }
    return settings.toPrettyString() + "\n";
  }
}
