package dev.tollgate.clustertests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.agenttests.model.ScriptedModel;
import dev.tollgate.agenttests.model.ToolCall;
import dev.tollgate.testsupport.tools.Command;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The git gateway in a real pod: an upstream served over HTTPS by git's own http-backend on the
 * node's bridge (a private CA, named in the remote's caBundle), an identity with the examples' git
 * policy and the egress gate enforcing. The agent's git uses the upstream's own URL; the webhook's
 * rewrite sends it to the gateway, which alone holds the credential.
 */
@ExtendWith(NodeClusterExtension.class)
class GitInPodIT {

  private static final String NAMESPACE = "git-lab";
  private static final String NAME = "git-coder";
  private static final String PUSH = "toolu_cluster_gateway_push";

  private static LabUpstream upstream;
  private static ScriptedModel model;
  private static AgentDeployment agent;

  @BeforeAll
  static void deploy(NodeCluster cluster, AgentDeployment repoCoder) throws Exception {
    upstream = LabUpstream.start(Map.of("README.md", "shop\n"));
    // One session: Claude Code's push to main (the approval test).
    model =
        new ScriptedModel(
            List.of(
                ToolCall.of(
                    PUSH,
                    "Bash",
                    Map.of("command", "git push origin main", "description", "publish"))),
            NodeCluster.nodeAddress());
    String policy =
        Files.readString(cluster.repoRoot().resolve("examples/policies/git.yaml"))
            .replace("namespace: agents", "namespace: " + NAMESPACE)
            .replace("names: [repo-coder]", "names: [" + NAME + "]");
    cluster.kubectlIn(lab() + "---\n" + policy, "apply", "-f", "-").expectOk();
    cluster.awaitIdentityReady(NAMESPACE, NAME);
    cluster
        .kubectlIn(
            AgentDeployment.deployment(NAME, NAMESPACE, repoCoder.image()), "apply", "-f", "-")
        .expectOk();
    agent = repoCoder.sibling(NAMESPACE, NAME);
    agent.awaitReady();
  }

  private static String lab() {
    return """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: %1$s
          labels: {tollgate.dev/injection: enabled}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: %2$s, namespace: %1$s}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: shop-git-token, namespace: %1$s}
        stringData: {token: %3$s}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: toolcallapproval-deciders, namespace: %1$s}
        rules:
          - apiGroups: [tollgate.dev]
            resources: [toolcallapprovals]
            verbs: [get, list, watch, update, patch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: toolcallapproval-deciders, namespace: %1$s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: toolcallapproval-deciders}
        subjects:
          - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: release-managers}
          - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: developers}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: %2$s, namespace: %1$s}
        spec:
          selector: {matchLabels: {app.kubernetes.io/name: %2$s}}
          serviceAccountName: %2$s
          toolScopes: [{name: lab}]
          egress: {mode: Enforce}
          approval: {timeoutSeconds: 240, defaultApprovers: ["group:release-managers"]}
          mode: Enforce
          runtime: ClaudeCode
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: lab, namespace: %1$s}
        spec:
          tools: [Bash]
          # The scripted model only: the upstream itself is the sidecar's to reach.
          egress:
            - {host: "%4$s", ports: [%5$d]}
          gitRemotes:
            %6$s
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: lab, namespace: %1$s}
        spec:
          agents: {names: [%2$s]}
          rules:
            - {name: model-api, tools: [Egress], effect: Allow}
            - {name: shell, tools: [Bash], effect: Allow}
        """
        .formatted(
            NAMESPACE,
            NAME,
            upstream.token(),
            NodeCluster.NODE_ADDRESS,
            URI.create(model.baseUrl()).getPort(),
            upstream.remoteYaml("shop", "shop-git-token", 4).stripLeading());
  }

  @AfterAll
  static void stop() {
    if (model != null) {
      model.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  /** The agent's git in its container, with a committer identity. */
  private static Command.Result git(String dir, String... args) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "git",
                "-C",
                dir,
                "-c",
                "user.name=git-coder",
                "-c",
                "user.email=git-coder@agents.example"));
    argv.addAll(List.of(args));
    return agent.exec(argv.toArray(String[]::new));
  }

  private static String clone(String dir) {
    agent.exec("rm", "-rf", dir).expectOk();
    git("/workspace", "clone", "-q", upstream.url(), dir).expectOk();
    return dir;
  }

  private static String commit(String dir, String file) {
    agent.exec("/bin/bash", "-c", "echo " + file + " > " + dir + "/" + file).expectOk();
    git(dir, "add", file).expectOk();
    git(dir, "commit", "-qm", "add " + file).expectOk();
    return git(dir, "rev-parse", "HEAD").expectOk().strip();
  }

  private static String upstreamRef(String ref) throws Exception {
    return upstream.ref(ref);
  }

  @Test
  void aCloneOfTheUpstreamsOwnUrlIsServedByTheGatewayWithTheSidecarsCredential() throws Exception {
    int requests = upstream.authorizations().size();
    String dir = clone("/workspace/lab-clone");

    assertThat(agent.exec("cat", dir + "/README.md").expectOk()).isEqualTo("shop\n");
    assertThat(git(dir, "rev-parse", "HEAD").expectOk().strip()).isEqualTo(upstreamRef("main"));
    List<String> received = upstream.authorizations();
    assertThat(received.subList(requests, received.size()))
        .as("the sidecar fetched with its credential")
        .isNotEmpty()
        .allSatisfy(a -> assertThat(a).isEqualTo(upstream.expectedAuthorization()));
    assertThat(git(dir, "config", "--get", "remote.origin.url").expectOk().strip())
        .as("the agent's git keeps the upstream's URL; the rewrite happens underneath")
        .isEqualTo(upstream.url());
  }

  @Test
  void aNewBranchLandsAndAForcePushIsRefusedAtTheGatewayWhateverItsSpelling(NodeCluster cluster)
      throws Exception {
    String dir = clone("/workspace/lab-branches");
    git(dir, "switch", "-q", "-c", "feature/pod").expectOk();
    String first = commit(dir, "one.txt");
    git(dir, "push", "-q", "origin", "feature/pod").expectOk();
    assertThat(upstreamRef("refs/heads/feature/pod")).isEqualTo(first);

    git(dir, "commit", "-q", "--amend", "-m", "rewritten").expectOk();
    for (List<String> spelling :
        List.of(
            List.of("push", "--force", "origin", "feature/pod"),
            List.of("push", "origin", "+feature/pod"),
            List.of("-c", "alias.p=push -f", "p", "origin", "feature/pod"))) {
      Command.Result push = git(dir, spelling.toArray(String[]::new));
      assertThat(push.exitCode()).as("%s: %s", spelling, push.describe()).isNotZero();
      assertThat(push.stdout() + push.stderr()).contains("force pushes are not allowed");
      assertThat(upstreamRef("refs/heads/feature/pod")).as("%s", spelling).isEqualTo(first);
    }
    // send-pack speaks no HTTP; aimed at the upstream's URL it fails and moves nothing.
    Command.Result sendPack =
        git(dir, "send-pack", "--force", upstream.url(), "feature/pod:feature/pod");
    assertThat(sendPack.exitCode()).as(sendPack.describe()).isNotZero();
    assertThat(upstreamRef("refs/heads/feature/pod")).isEqualTo(first);
    // The audit (kubectl logs) carries what each push would have moved; denials are Events.
    String rewritten = git(dir, "rev-parse", "HEAD").expectOk().strip();
    assertThat(agent.auditRecords())
        .anySatisfy(
            r -> {
              assertThat(r.path("tool").asText()).isEqualTo("GitPush");
              assertThat(r.path("type").asText()).isEqualTo("tool_call.denied");
              assertThat(r.path("source").asText()).isEqualTo("git");
              assertThat(r.path("argsSummary").toString())
                  .contains("refs/heads/feature/pod")
                  .contains("force")
                  .contains(rewritten);
            });
    assertThat(
            cluster
                .kubectl(
                    "get",
                    "events",
                    "-n",
                    NAMESPACE,
                    "--field-selector",
                    "involvedObject.name=" + agent.pod() + ",reason=ToolCallDenied")
                .expectOk())
        .contains("GitPush");
  }

  @Test
  void aPushThatDodgesTheRewriteReachesNothing() throws Exception {
    String dir = clone("/workspace/lab-dodge");
    commit(dir, "dodge.txt");
    int seen = upstream.authorizations().size() + upstream.refused();

    // No system config (no rewrite), TLS checks off: only the egress gate stands in the way.
    Command.Result push =
        agent.exec(
            "env",
            "GIT_CONFIG_SYSTEM=/dev/null",
            "GIT_SSL_NO_VERIFY=1",
            "git",
            "-C",
            dir,
            "push",
            upstream.url(),
            "HEAD:refs/heads/dodged");

    assertThat(push.exitCode()).as(push.describe()).isNotZero();
    assertThat(upstreamRef("refs/heads/dodged")).isEmpty();
    assertThat(upstream.authorizations().size() + upstream.refused())
        .as("not one request reached the upstream from the agent container")
        .isEqualTo(seen);
  }

  @Test
  void claudeCodesPushToMainWaitsAtTheGatewayForAReleaseManagersApproval(NodeCluster cluster)
      throws Exception {
    String dir = clone("/workspace/lab-release");
    String before = upstreamRef("main");
    String release = commit(dir, "release.txt");
    CompletableFuture<InPodClaudeCode.Session> running =
        CompletableFuture.supplyAsync(() -> InPodClaudeCode.run(agent, model.baseUrl(), dir));

    String approval = awaitPendingApproval(cluster);
    assertThat(upstreamRef("main")).as("nothing lands while held").isEqualTo(before);
    String shown = cluster.tollgatePlugin("alice", "show", approval, "-n", NAMESPACE).expectOk();
    assertThat(shown).contains("GitPush").contains("refs/heads/main").contains(release);
    Command.Result refused =
        cluster.tollgatePlugin("mallory", "approve", approval, "-n", NAMESPACE, "--reason", "me");
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
    assertThat(upstreamRef("main")).isEqualTo(before);

    cluster
        .tollgatePlugin("alice", "approve", approval, "-n", NAMESPACE, "--reason", "release day")
        .expectOk();
    InPodClaudeCode.Session session = running.get(3, TimeUnit.MINUTES);
    assertThat(session.exitCode()).as(session.describe()).isZero();
    assertThat(model.resultFor(PUSH).isError()).as("%s", model.resultFor(PUSH)).isFalse();
    assertThat(upstreamRef("main")).isEqualTo(release);
  }

  private static String awaitPendingApproval(NodeCluster cluster) {
    String[] name = new String[1];
    Awaitility.await("a ToolCallApproval for the push")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              for (JsonNode item :
                  cluster.json("get", "toolcallapprovals", "-n", NAMESPACE).path("items")) {
                JsonNode decision = item.path("spec").path("decision");
                if (item.path("spec").path("tool").asText().equals("GitPush")
                    && (decision.isMissingNode() || decision.isNull())) {
                  name[0] = item.path("metadata").path("name").asText();
                  return true;
                }
              }
              return false;
            });
    return name[0];
  }
}
