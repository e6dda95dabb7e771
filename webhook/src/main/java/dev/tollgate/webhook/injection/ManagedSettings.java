package dev.tollgate.webhook.injection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Claude Code managed settings ({@code /etc/claude-code/managed-settings.json}) that wire the
 * hook client for every tool call. Claude Code lets a call run when a hook times out, so the
 * deadlines nest: the approval wait < the hook client's deadline < Claude Code's hook timeout.
 */
public final class ManagedSettings {

  public static final String HOOK_COMMAND = "/opt/tollgate/bin/tollgate-hook";
  /** Seconds the hook client waits beyond the identity's approval timeout. */
  static final int CLIENT_MARGIN_SECONDS = 30;
  /** Seconds Claude Code waits beyond the hook client's own deadline. */
  static final int HOOK_MARGIN_SECONDS = 30;

  private static final ObjectMapper JSON = new ObjectMapper();

  private ManagedSettings() {}

  public static int clientDeadlineSeconds(int approvalTimeoutSeconds) {
    return approvalTimeoutSeconds + CLIENT_MARGIN_SECONDS;
  }

  public static int hookTimeoutSeconds(int approvalTimeoutSeconds) {
    return clientDeadlineSeconds(approvalTimeoutSeconds) + HOOK_MARGIN_SECONDS;
  }

  public static String json(int approvalTimeoutSeconds) {
    ObjectNode settings = JSON.createObjectNode();
    // User and project settings cannot add hooks of their own, nor switch these off.
    settings.put("allowManagedHooksOnly", true);
    ObjectNode env = settings.putObject("env");
    env.put("TOLLGATE_URL", "http://127.0.0.1:" + InjectionSettings.DECISION_PORT);
    env.put("TOLLGATE_HOOK_TIMEOUT_SECONDS", String.valueOf(clientDeadlineSeconds(approvalTimeoutSeconds)));
    env.put("TOLLGATE_HOOK_CONNECT_TIMEOUT_SECONDS", "2");
    // Claude Code runs hook commands through a shell, which sources BASH_ENV first: a file the
    // agent could name there would answer for the hook. Managed env wins over project settings.
    env.put("BASH_ENV", "");
    ObjectNode hooks = settings.putObject("hooks");
    for (String event : new String[] {"PreToolUse", "PostToolUse", "PostToolUseFailure"}) {
      ArrayNode matchers = hooks.putArray(event);
      ObjectNode matcher = matchers.addObject();
      matcher.put("matcher", "*");
      ObjectNode hook = matcher.putArray("hooks").addObject();
      hook.put("type", "command");
      hook.put("command", HOOK_COMMAND);
      hook.put("timeout", hookTimeoutSeconds(approvalTimeoutSeconds));
    }
    return settings.toPrettyString() + "\n";
  }
}
