package dev.tollgate.clustertests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testsupport.tools.Command;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The pinned Claude Code, run headless inside the agent container with {@code kubectl exec}: no
 * {@code --settings} flag, so the hooks it calls come only from the managed settings the webhook
 * mounted at /etc/claude-code.
 */
final class InPodClaudeCode {

  private InPodClaudeCode() {}

  /** One finished session: its exit code and the last JSON document it printed. */
  record Session(int exitCode, JsonNode result, String stdout, String stderr) {
    String describe() {
      return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }

    /** tool_use ids Claude Code reports as denied by a hook or its permissions. */
    List<String> permissionDenials() {
      List<String> ids = new ArrayList<>();
      result.path("permission_denials").forEach(d -> ids.add(d.path("tool_use_id").asText()));
      return ids;
    }
  }

  static Session run(AgentDeployment agent, String modelUrl, String workdir) {
    String script =
        "cd "
            + workdir
            + " && exec env ANTHROPIC_BASE_URL="
            + modelUrl
            + " ANTHROPIC_API_KEY=sk-ant-tollgate-cluster-tests-dummy"
            + " CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_AUTOUPDATER=1 DISABLE_TELEMETRY=1"
            + " DISABLE_ERROR_REPORTING=1 DISABLE_BUG_COMMAND=1"
            + " claude -p 'Work on the task.' --output-format json"
            + " --allowedTools Read Write Edit Bash </dev/null";
    Command.Result result = agent.exec("/bin/bash", "-c", script);
    JsonNode last;
    try {
      List<JsonNode> docs =
          result.stdout().isBlank()
              ? List.of()
              : NodeCluster.JSON
                  .readerFor(JsonNode.class)
                  .<JsonNode>readValues(result.stdout())
                  .readAll();
      last = docs.isEmpty() ? NodeCluster.JSON.createObjectNode() : docs.get(docs.size() - 1);
    } catch (IOException e) {
      throw new AssertionError("Claude Code printed no JSON: " + result.describe(), e);
    }
    return new Session(result.exitCode(), last, result.stdout(), result.stderr());
  }
}
