package dev.tollgate.clustertests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.BundleConfigMaps;
import dev.tollgate.api.SidecarContract;
import dev.tollgate.testsupport.tools.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults as an operator causes them, on the installed chart: a killed sidecar, a stopped webhook, a
 * stopped operator, a deleted bundle ConfigMap. Tollgate fails closed through each and recovers.
 */
@ExtendWith(NodeClusterExtension.class)
class FaultsIT {

  private static final String WEBHOOK = "tollgate-webhook";
  private static final String OPERATOR = "tollgate-operator";

  @Test
  void aKilledSidecarRestartsAndCallsInBetweenAreDenied(
      NodeCluster cluster, AgentDeployment agent) {
    agent.awaitReady();
    assertThat(Decisions.viaHookClient(agent, "echo before").allowed()).isTrue();
    int restarts = restartCount(agent);
    JsonNode status = sidecarStatus(agent);
    String id = status.path("containerID").asText().replaceFirst("^containerd://", "");
    cluster.ctr("tasks", "kill", "--signal", "SIGKILL", id).expectOk();

    List<Decisions.Answer> between = new ArrayList<>();
    Decisions.Answer answer = Decisions.viaHookClient(agent, "echo while-down");
    between.add(answer);
    // The first call after the kill finds no decision point: the hook client denies by itself.
    assertThat(answer.denied()).as("%s", answer).isTrue();
    assertThat(answer.exitCode()).isEqualTo(2);
    Awaitility.await("the sidecar restarted and allows again")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Decisions.Answer next = Decisions.viaHookClient(agent, "echo while-down");
              between.add(next);
              return next.allowed();
            });
    assertThat(between.subList(0, between.size() - 1))
        .allSatisfy(a -> assertThat(a.denied()).isTrue());
    assertThat(restartCount(agent)).isEqualTo(restarts + 1);
    // And the policy still holds after the restart.
    assertThat(Decisions.viaHookClient(agent, "git push --force origin main").denied()).isTrue();
  }

  @Test
  void withTheWebhookStoppedAgentPodsAreRefusedAndPodsElsewhereAreCreated(
      NodeCluster cluster, AgentDeployment agent) {
    agent.awaitReady();
    cluster.kubectl("create", "namespace", "bystanders").ok();
    try {
      scale(cluster, WEBHOOK, 0);
      Command.Result agentPod =
          runPod(cluster, AgentDeployment.AGENTS, "refused-agent", agent.image());
      assertThat(agentPod.exitCode()).as(agentPod.describe()).isNotZero();
      assertThat(agentPod.stderr()).contains("tollgate");
      Command.Result other = runPod(cluster, "bystanders", "unaffected", agent.image());
      assertThat(other.exitCode()).as(other.describe()).isZero();
    } finally {
      scale(cluster, WEBHOOK, 2);
      cluster.kubectl("delete", "namespace", "bystanders", "--wait=false").ok();
      cluster
          .kubectl(
              "delete", "pod", "refused-agent", "-n", AgentDeployment.AGENTS, "--ignore-not-found")
          .ok();
    }
  }

  @Test
  void withTheOperatorStoppedSidecarsKeepTheirLastBundleEvenWhenItsConfigMapIsDeleted(
      NodeCluster cluster, AgentDeployment agent) throws Exception {
    agent.awaitReady();
    String word = "operator-down-" + System.nanoTime();
    String configMap = BundleConfigMaps.nameFor(AgentDeployment.REPO_CODER);
    int pid = Decisions.pidOf(cluster, agent, "containerStatuses", AgentDeployment.AGENT_CONTAINER);
    try {
      scale(cluster, OPERATOR, 0);
      ProbePolicy.apply(cluster, word);
      Thread.sleep(5_000);
      assertThat(Decisions.viaNetworkNamespace(agent, pid, "echo " + word).allowed())
          .as("no operator, no new bundle: the last one stays in force")
          .isTrue();
      assertThat(Decisions.viaNetworkNamespace(agent, pid, "git push --force origin main").denied())
          .isTrue();

      cluster.kubectl("delete", "configmap", configMap, "-n", AgentDeployment.AGENTS).expectOk();
      String podIp = agent.podJson().path("status").path("podIP").asText();
      Awaitility.await("the sidecar reports not ready")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> readyz(podIp) == 503);
      assertThat(Decisions.viaNetworkNamespace(agent, pid, "git push --force origin main").denied())
          .as("the last good bundle still decides")
          .isTrue();
      assertThat(Decisions.viaNetworkNamespace(agent, pid, "echo still-allowed").allowed())
          .isTrue();
    } finally {
      scale(cluster, OPERATOR, 1);
    }
    Awaitility.await("the operator republished the bundle and the sidecar follows it")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> Decisions.viaNetworkNamespace(agent, pid, "echo " + word).denied());
    String podIp = agent.podJson().path("status").path("podIP").asText();
    Awaitility.await("ready again")
        .atMost(Duration.ofSeconds(30))
        .until(() -> readyz(podIp) == 200);
    ProbePolicy.delete(cluster);
  }

  private static int readyz(String podIp) {
    Command.Result result =
        Command.of(
                Duration.ofSeconds(10),
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-m",
                "5",
                "http://" + podIp + ":" + SidecarContract.Ports.OPS + SidecarContract.Health.READY)
            .run();
    try {
      return Integer.parseInt(result.stdout().strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void scale(NodeCluster cluster, String deployment, int replicas) {
    cluster
        .kubectl(
            "scale",
            "deployment",
            deployment,
            "-n",
            NodeCluster.RELEASE_NAMESPACE,
            "--replicas=" + replicas)
        .expectOk();
    if (replicas == 0) {
      Awaitility.await(deployment + " has no pods")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  cluster
                      .json(
                          "get",
                          "pods",
                          "-n",
                          NodeCluster.RELEASE_NAMESPACE,
                          "-l",
                          "app.kubernetes.io/component=" + deployment.replace("tollgate-", ""))
                      .path("items")
                      .isEmpty());
    } else {
      cluster
          .kubectl(
              "rollout",
              "status",
              "deployment/" + deployment,
              "-n",
              NodeCluster.RELEASE_NAMESPACE,
              "--timeout=180s")
          .expectOk();
    }
  }

  private static Command.Result runPod(
      NodeCluster cluster, String namespace, String name, String image) {
    return cluster.kubectl(
        "run",
        name,
        "-n",
        namespace,
        "--image",
        image,
        "--image-pull-policy",
        "Never",
        "--restart",
        "Never",
        "--labels",
        "app.kubernetes.io/name=" + AgentDeployment.REPO_CODER,
        "--overrides",
        "{\"spec\":{\"serviceAccountName\":\"default\"}}",
        "--command",
        "--",
        "true");
  }

  private static JsonNode sidecarStatus(AgentDeployment agent) {
    for (JsonNode status : agent.podJson().path("status").path("initContainerStatuses")) {
      if (status.path("name").asText().equals(AgentDeployment.SIDECAR_CONTAINER)) {
        return status;
      }
    }
    throw new AssertionError("no sidecar status");
  }

  private static int restartCount(AgentDeployment agent) {
    return sidecarStatus(agent).path("restartCount").asInt();
  }
}
