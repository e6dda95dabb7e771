package dev.tollgate.clustertests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.agenttests.model.ScriptedModel;
import dev.tollgate.agenttests.model.ToolCall;
import dev.tollgate.agenttests.model.ToolResult;
import dev.tollgate.api.SidecarContract;
import dev.tollgate.testsupport.tools.Command;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tollgate installed by its chart, seen from inside the agent pod: the injected decision point is a
 * native sidecar Ready before the agent starts; the real Claude Code in the container takes its
 * hooks from the managed settings alone; allowed calls run and denied ones leave nothing on the
 * container's disk; what the agent must not reach is not there; the audit is in the sidecar's log
 * and the denials are Events on the pod.
 */
@ExtendWith(NodeClusterExtension.class)
class AgentPodIT {

  private static final String BUILD = "toolu_cluster_build";
  private static final String FORCE_PUSH = "toolu_cluster_force_push";
  private static final String DOTENV = "toolu_cluster_dotenv";
  private static final String TOKEN = "toolu_cluster_token";

  private static AgentDeployment agent;
  private static ScriptedModel model;
  private static InPodClaudeCode.Session session;

  @BeforeAll
  static void playOneSession(AgentDeployment repoCoder) throws Exception {
    agent = repoCoder;
    agent
        .exec(
            "/bin/bash", "-c", "mkdir -p /workspace/s1 && echo API_KEY=secret > /workspace/s1/.env")
        .expectOk();
    model =
        new ScriptedModel(
            List.of(
                ToolCall.of(
                    BUILD,
                    "Bash",
                    Map.of("command", "echo built > build.marker", "description", "build")),
                ToolCall.of(
                    FORCE_PUSH,
                    "Bash",
                    Map.of(
                        "command",
                        "git push --force origin main; echo pushed > push.marker",
                        "description",
                        "push")),
                ToolCall.of(
                    DOTENV,
                    "Bash",
                    Map.of("command", "cat .env > leaked.txt", "description", "copy env")),
                // Allowed by policy (a plain read in the workspace's shell): the lockdown, not a
                // rule, keeps the token away.
                ToolCall.of(
                    TOKEN,
                    "Bash",
                    Map.of(
                        "command",
                        "ls /var/run/secrets/kubernetes.io/serviceaccount/ > token.txt 2>&1; echo rc=$? >> token.txt",
                        "description",
                        "look around"))),
            NodeCluster.nodeAddress());
    session = InPodClaudeCode.run(agent, model.baseUrl(), "/workspace/s1");
  }

  @AfterAll
  static void stopModel() {
    if (model != null) {
      model.close();
    }
  }

  @Test
  void theSidecarIsANativeSidecarReadyBeforeTheAgentStarted() {
    JsonNode pod = agent.podJson();
    JsonNode sidecar = null;
    for (JsonNode init : pod.path("spec").path("initContainers")) {
      if (init.path("name").asText().equals(AgentDeployment.SIDECAR_CONTAINER)) {
        sidecar = init;
      }
    }
    assertThat(sidecar)
        .as("init container %s in %s", AgentDeployment.SIDECAR_CONTAINER, pod)
        .isNotNull();
    assertThat(sidecar.path("restartPolicy").asText()).isEqualTo("Always");
    assertThat(sidecar.path("image").asText()).startsWith("tollgate.local/tollgate-sidecar:");
    // The agent's first act asked the sidecar's /readyz: 200 means it was Ready before the kubelet
    // started the agent container.
    assertThat(agent.exec("cat", "/workspace/.sidecar-readyz-at-start").expectOk())
        .isEqualTo("200");
    Instant sidecarStarted =
        Instant.parse(startedAt(pod, "initContainerStatuses", AgentDeployment.SIDECAR_CONTAINER));
    Instant agentStarted =
        Instant.parse(startedAt(pod, "containerStatuses", AgentDeployment.AGENT_CONTAINER));
    assertThat(sidecarStarted).isBeforeOrEqualTo(agentStarted);
  }

  @Test
  void theDecisionPointRunsFromItsImagesAotCacheWellInsideItsMemoryLimit() {
    // The JVM only says so when it cannot use the cache; the pod would still work, slower and
    // bigger, so nothing else would notice.
    assertThat(agent.sidecarLog()).doesNotContain("[aot]").doesNotContain("AOT cache");
    String script =
        """
        for p in /proc/[0-9]*; do
          if tr '\\0' ' ' < "$p/cmdline" 2>/dev/null | grep -q tollgate-sidecar.jar; then
            grep -c tollgate-sidecar.aot "$p/maps"; grep -E '^(VmHWM|VmRSS):' "$p/status"; exit 0
          fi
        done
        exit 1
        """;
    String found =
        agent.execIn(AgentDeployment.SIDECAR_CONTAINER, null, "/bin/bash", "-c", script).expectOk();
    List<String> lines = found.lines().toList();
    assertThat(Integer.parseInt(lines.get(0).strip()))
        .as("mappings of /app/tollgate-sidecar.aot in %s", found)
        .isPositive();
    // The sidecar has answered a whole session by now (seen: 117 MiB, of which ~30 MiB pages of
    // the runtime and the cache that pods on a node share); its peak stays under the 160Mi limit
    // the webhook sets, with room for a burst.
    long peakKib = Long.parseLong(lines.get(1).replaceAll("[^0-9]", ""));
    assertThat(peakKib).as("VmHWM of the decision point: %s", found).isLessThan(136 * 1024);
  }

  @Test
  void claudeCodeLoadsTheInjectedManagedSettingsWithoutAFlag() {
    String settings =
        agent.exec("cat", SidecarContract.Paths.SETTINGS_DIR + "/managed-settings.json").expectOk();
    assertThat(settings).contains(SidecarContract.Paths.HOOK_COMMAND).contains("PreToolUse");
    // Nothing but those managed hooks sends the calls to the sidecar: the session passed no
    // --settings, and each call is in the sidecar's audit.
    assertThat(agent.sidecarLog()).contains(BUILD).contains(FORCE_PUSH).contains(DOTENV);
    assertThat(session.exitCode()).as(session.describe()).isZero();
    assertThat(session.result().path("subtype").asText())
        .as(session.describe())
        .isEqualTo("success");
    assertThat(model.servedCalls()).containsExactly(BUILD, FORCE_PUSH, DOTENV, TOKEN);
  }

  @Test
  void allowedCallsRanAndDeniedCallsLeftNothingOnTheContainersDisk() {
    assertThat(agent.exec("cat", "/workspace/s1/build.marker").expectOk().strip())
        .isEqualTo("built");
    assertThat(agent.exec("test", "-e", "/workspace/s1/push.marker").exitCode()).isNotZero();
    assertThat(agent.exec("test", "-e", "/workspace/s1/leaked.txt").exitCode()).isNotZero();
    assertThat(model.resultFor(BUILD).isError()).isFalse();
    ToolResult push = model.resultFor(FORCE_PUSH);
    assertThat(push.isError()).isTrue();
    assertThat(push.content()).contains("Tollgate: force pushes are not allowed");
    assertThat(model.resultFor(DOTENV).content()).contains("Tollgate: .env files hold secrets");
    assertThat(session.permissionDenials()).containsExactlyInAnyOrder(FORCE_PUSH, DOTENV);
  }

  @Test
  void theAgentContainerReachesNoTokenNoCredentialAndCannotWriteTheBundle() {
    // Through the agent's own allowed call, and directly.
    assertThat(agent.exec("cat", "/workspace/s1/token.txt").expectOk())
        .contains("No such file or directory")
        .doesNotContain("rc=0");
    assertThat(agent.exec("ls", SidecarContract.Paths.SERVICE_ACCOUNT_DIR).exitCode()).isNotZero();
    assertThat(agent.exec("ls", SidecarContract.Paths.MCP_CREDENTIALS_DIR).exitCode()).isNotZero();
    Command.Result bundleWrite =
        agent.exec(
            "/bin/bash", "-c", "echo '{}' > " + SidecarContract.Paths.BUNDLE_DIR + "/bundle.json");
    assertThat(bundleWrite.exitCode()).as(bundleWrite.describe()).isNotZero();
    assertThat(agent.exec("id", "-u").expectOk().strip()).isEqualTo("1000");
    // No other container's processes are visible (no shared process namespace): the sidecar's
    // environment and files cannot be read through /proc.
    assertThat(agent.exec("/bin/bash", "-c", "cat /proc/*/cmdline | tr '\\0' ' '").stdout())
        .doesNotContain("java");
  }

  @Test
  void theSidecarItselfCanReadTheMcpCredentialThatTheAgentCannotSee() {
    // Secret files belong to root; the sidecar runs as its own non-root user.
    Command.Result read =
        agent.execIn(
            AgentDeployment.SIDECAR_CONTAINER,
            null,
            "cat",
            SidecarContract.Paths.MCP_CREDENTIALS_DIR + "/github/token");
    assertThat(read.stdout()).as(read.describe()).isEqualTo(AgentDeployment.MCP_TOKEN);
    assertThat(agent.exec("id", "-u").expectOk().strip()).isEqualTo("1000");
  }

  @Test
  void gitInTheAgentContainerReachesTheRemoteOnlyThroughTheGateway() {
    // examples/scopes.yaml's remote, as an agent would type it, and a neighbour that is no remote.
    Command.Result shop =
        agent.exec("git", "ls-remote", "--get-url", "https://github.com/acme/shop.git");
    assertThat(shop.stdout().strip())
        .as(shop.describe())
        .isEqualTo("http://127.0.0.1:" + SidecarContract.Ports.DECISION + "/git/shop/");
    assertThat(
            agent
                .exec("git", "ls-remote", "--get-url", "https://github.com/acme/shopping")
                .stdout()
                .strip())
        .isEqualTo("https://github.com/acme/shopping");
    // The config is the webhook's, read-only for the agent.
    Command.Result overwrite =
        agent.exec(
            "/bin/bash", "-c", "echo '[url \"https://evil.example/\"]' >> \"$GIT_CONFIG_SYSTEM\"");
    assertThat(overwrite.exitCode()).as(overwrite.describe()).isNotZero();
  }

  @Test
  void theAuditIsInTheSidecarsLogAndDenialsAreEventsOnThePod() {
    List<JsonNode> records = agent.auditRecords();
    assertThat(records)
        .anySatisfy(
            r -> {
              assertThat(r.path("type").asText()).isEqualTo("tool_call.denied");
              assertThat(r.toString()).contains(FORCE_PUSH).contains("agents/shell/no-force-push");
              assertThat(r.path("principal").asText()).isEqualTo(AgentDeployment.PRINCIPAL);
            });
    assertThat(records)
        .anySatisfy(
            r -> {
              assertThat(r.path("type").asText()).isEqualTo("tool_call.executed");
              assertThat(r.toString()).contains(BUILD);
            });
    JsonNode events =
        agent
            .cluster()
            .json(
                "get",
                "events",
                "-n",
                AgentDeployment.AGENTS,
                "--field-selector",
                "involvedObject.name=" + agent.pod());
    assertThat(events.path("items").toString()).contains("no-force-push");
  }

  private static String startedAt(JsonNode pod, String statuses, String container) {
    for (JsonNode status : pod.path("status").path(statuses)) {
      if (status.path("name").asText().equals(container)) {
        return status.path("state").path("running").path("startedAt").asText();
      }
    }
    throw new AssertionError("no running status of " + container + " in " + pod.path("status"));
  }
}
