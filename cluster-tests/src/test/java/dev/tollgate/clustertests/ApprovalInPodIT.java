package dev.tollgate.clustertests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.agenttests.model.ScriptedModel;
import dev.tollgate.agenttests.model.ToolCall;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A push by the agent in the pod is held by the sidecar until a release manager approves it with
 * {@code kubectl tollgate approve}; nothing reaches the remote before that.
 */
@ExtendWith(NodeClusterExtension.class)
class ApprovalInPodIT {

  private static final String PUSH = "toolu_cluster_push";

  @Test
  void aPushWaitsForKubectlTollgateApprove(NodeCluster cluster, AgentDeployment agent)
      throws Exception {
    agent
        .exec(
            "/bin/bash",
            "-c",
            "set -e; rm -rf /workspace/s2; mkdir -p /workspace/s2; cd /workspace/s2;"
                + " git init -q --bare remote.git; git init -q -b main repo; cd repo;"
                + " git -c user.name=dana -c user.email=dana@example.com commit -q --allow-empty -m first;"
                + " git remote add origin /workspace/s2/remote.git")
        .expectOk();
    try (ScriptedModel model =
        new ScriptedModel(
            List.of(
                ToolCall.of(
                    PUSH,
                    "Bash",
                    Map.of("command", "git push origin main", "description", "publish"))),
            NodeCluster.nodeAddress())) {
      CompletableFuture<InPodClaudeCode.Session> running =
          CompletableFuture.supplyAsync(
              () -> InPodClaudeCode.run(agent, model.baseUrl(), "/workspace/s2/repo"));

      String approval = awaitPendingApproval(cluster);
      assertThat(remoteHead(agent)).as("nothing pushed while the call is held").isEmpty();
      assertThat(running).isNotDone();

      String shown =
          cluster
              .tollgatePlugin("alice", "show", approval, "-n", AgentDeployment.AGENTS)
              .expectOk();
      assertThat(shown).contains("git push origin main");
      // Someone who is not an approver is refused, and the call stays held.
      Command.Result refused =
          cluster.tollgatePlugin(
              "mallory", "approve", approval, "-n", AgentDeployment.AGENTS, "--reason", "me");
      assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
      assertThat(remoteHead(agent)).isEmpty();

      cluster
          .tollgatePlugin(
              "alice", "approve", approval, "-n", AgentDeployment.AGENTS, "--reason", "release day")
          .expectOk();
      InPodClaudeCode.Session session = running.get(3, TimeUnit.MINUTES);
      assertThat(session.exitCode()).as(session.describe()).isZero();
      assertThat(model.resultFor(PUSH).isError()).as("%s", model.resultFor(PUSH)).isFalse();
      assertThat(remoteHead(agent)).isNotEmpty();
    }
  }

  private static String awaitPendingApproval(NodeCluster cluster) {
    String[] name = new String[1];
    Awaitility.await("a ToolCallApproval for the push")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              for (JsonNode item :
                  cluster
                      .json("get", "toolcallapprovals", "-n", AgentDeployment.AGENTS)
                      .path("items")) {
                if (item.toString().contains(PUSH)
                    || item.toString().contains("git push origin main")) {
                  if (item.path("spec").path("decision").isMissingNode()
                      || item.path("spec").path("decision").isNull()) {
                    name[0] = item.path("metadata").path("name").asText();
                    return true;
                  }
                }
              }
              return false;
            });
    return name[0];
  }

  private static String remoteHead(AgentDeployment agent) {
    return agent
        .exec(
            "git",
            "--git-dir",
            "/workspace/s2/remote.git",
            "rev-parse",
            "--verify",
            "-q",
            "refs/heads/main")
        .stdout()
        .strip();
  }
}
