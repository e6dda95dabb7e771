package dev.tollgate.clustertests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.SidecarContract;
import dev.tollgate.testsupport.tools.Command;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Asks the agent pod's decision point about a Bash command, the way the agent's hook does: either
 * through the real hook client in the agent container ({@code kubectl exec}), or, where timing
 * matters, with curl from the node inside the pod's network namespace (the decision endpoints
 * listen on the pod's loopback only).
 */
final class Decisions {

  /** What a PreToolUse hook answered: allow or deny, with the reason. */
  record Answer(String decision, String reason, int exitCode) {
    boolean denied() {
      return decision.equals("deny");
    }

    boolean allowed() {
      return decision.equals("allow");
    }
  }

  private Decisions() {}

  static String preToolUse(String command) {
    ObjectNode input = NodeCluster.JSON.createObjectNode();
    input.put("session_id", "c1a55e7e-0000-4000-8000-000000000001");
    input.put("transcript_path", "/home/agent/.claude/projects/-workspace/session.jsonl");
    input.put("cwd", "/workspace");
    input.put("permission_mode", "default");
    input.put("hook_event_name", "PreToolUse");
    input.put("tool_name", "Bash");
    input.set(
        "tool_input",
        NodeCluster.JSON.valueToTree(Map.of("command", command, "description", "probe")));
    input.put("tool_use_id", "toolu_probe_" + UUID.randomUUID().toString().replace("-", ""));
    return input.toString();
  }

  /** Through {@code /opt/tollgate/bin/tollgate-hook} in the agent container. */
  static Answer viaHookClient(AgentDeployment agent, String command) {
    Command.Result result =
        agent.execIn(
            AgentDeployment.AGENT_CONTAINER,
            preToolUse(command),
            SidecarContract.Paths.HOOK_COMMAND);
    return parse(result.stdout(), result.exitCode());
  }

  /**
   * With curl in the pod's network namespace, entered through the agent container's process (which
   * outlives sidecar restarts).
   */
  static Answer viaNetworkNamespace(AgentDeployment agent, int agentPid, String command) {
    Command.Result result =
        Command.of(
                Duration.ofSeconds(20),
                "nsenter",
                "-t",
                Integer.toString(agentPid),
                "-n",
                "curl",
                "-sS",
                "-m",
                "10",
                "-X",
                "POST",
                "-H",
                "Content-Type: application/json",
                "--data-binary",
                "@-",
                "http://127.0.0.1:" + SidecarContract.Ports.DECISION + "/v1/hooks/claude-code")
            .withStdin(preToolUse(command))
            .run();
    if (!result.ok()) {
      return new Answer("unreachable", result.stderr().strip(), result.exitCode());
    }
    return parse(result.stdout(), 0);
  }

  /** The host PID of a container of the pod, from its containerd task. */
  static int pidOf(NodeCluster cluster, AgentDeployment agent, String statuses, String container) {
    JsonNode pod = agent.podJson();
    for (JsonNode status : pod.path("status").path(statuses)) {
      if (status.path("name").asText().equals(container)) {
        String id = status.path("containerID").asText().replaceFirst("^containerd://", "");
        for (String line : cluster.ctr("tasks", "ls").expectOk().lines().toList()) {
          String[] fields = line.trim().split("\\s+");
          if (fields.length >= 2 && fields[0].equals(id)) {
            return Integer.parseInt(fields[1]);
          }
        }
        throw new AssertionError("no containerd task " + id + " for " + container);
      }
    }
    throw new AssertionError("no status of " + container + " in " + pod.path("status"));
  }

  private static Answer parse(String stdout, int exitCode) {
    try {
      JsonNode out = NodeCluster.JSON.readTree(stdout.isBlank() ? "{}" : stdout);
      JsonNode hook = out.path("hookSpecificOutput");
      return new Answer(
          hook.path("permissionDecision").asText("none"),
          hook.path("permissionDecisionReason").asText(""),
          exitCode);
    } catch (IOException e) {
      return new Answer("unparsable", stdout, exitCode);
    }
  }
}
