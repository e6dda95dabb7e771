package dev.tollgate.e2e;

import static dev.tollgate.e2e.SidecarHookIT.texts;
import static dev.tollgate.e2e.TollgateCluster.AGENTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.ApprovalMarks;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.ApprovalDecision;
import dev.tollgate.api.v1alpha1.ApprovalPhase;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.e2e.ControlPlane.User;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Allow-with-approval from end to end: a call the policy holds blocks the real hook client while
 * the real sidecar (as the identity's service account) asks for a ToolCallApproval; humans decide
 * it with the kubectl plugin ({@code bin/kubectl-tollgate}) under the test users' own kubeconfigs
 * (alice in group platform-approvers, mallory in developers), the webhook's guard tells them apart,
 * and the operator expires what nobody decided.
 *
 * <p>examples/ names {@code group:release-managers} as repo-coder's approvers, a group no test user
 * is in: this class sets the identity's {@code spec.approval} to {@code group:platform-approvers}
 * (and a short wait where expiry is tested) and puts the examples' settings back afterwards.
 */
@ExtendWith(TollgateClusterExtension.class)
class ApprovalFlowIT {

  private static final String POD = "approval-agent";
  private static final String APPROVERS = "group:platform-approvers";
  private static final Duration HOOK = Duration.ofSeconds(30);

  @TempDir static Path dir;

  private static TollgateCluster cluster;
  private static KubernetesClient admin;
  private static String examplesApproval;
  private static Pod pod;
  private static SidecarProcess sidecar;

  @BeforeAll
  static void startAnAgentPodsSidecar(TollgateCluster shared) {
    cluster = shared;
    admin = cluster.admin();
    Examples.apply(cluster);
    AgentIdentity identity = Identities.awaitReady(admin, AGENTS, AgentPods.IDENTITY);
    examplesApproval = SidecarProcess.JSON.valueToTree(identity.getSpec().getApproval()).toString();
    setApproval(60, APPROVERS);
    Manifests.applyYaml(
        admin,
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: e2e-approval-flow-deciders, namespace: %1$s}
        rules:
          - apiGroups: [tollgate.dev]
            resources: [toolcallapprovals]
            verbs: [get, list, patch, update]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: e2e-approval-flow-deciders, namespace: %1$s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: e2e-approval-flow-deciders}
        subjects:
          - {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}
          - {apiGroup: rbac.authorization.k8s.io, kind: User, name: mallory}
        """
            .formatted(AGENTS));
    pod = AgentPods.create(cluster, POD);
    // A short approval lifetime: an approval lives max(identity wait, lifetime), so the identity's
    // wait alone decides when it expires.
    sidecar =
        SidecarProcess.start(
            cluster,
            pod,
            dir,
            "--approvals",
            "on",
            "--events",
            "on",
            "--approval-lifetime-seconds",
            "2",
            "--reload-interval-ms",
            "100");
  }

  @AfterAll
  static void stopTheSidecarAndRestoreTheExample() {
    try {
      if (sidecar != null) {
        sidecar.close();
      }
    } finally {
      if (examplesApproval != null) {
        admin
            .resources(AgentIdentity.class)
            .inNamespace(AGENTS)
            .withName(AgentPods.IDENTITY)
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"approval\":" + examplesApproval + "}}");
        Identities.awaitReady(admin, AGENTS, AgentPods.IDENTITY);
      }
    }
  }

  @Test
  void onlyAnApproverUnlocksTheHeldCallOnceAndARetryAsksAgainAndIsRejected() {
    useApproval(60);
    String command = "npm publish --access public";
    Map<String, Object> input = Map.of("command", command, "description", "Publish the package");
    String name;
    try (HookProcess hook =
        HookProcess.start(
            cluster, pod, sidecar, dir, HookInputs.pre("toolu_01FlowPushA", "Bash", input))) {
      JsonNode requested = sidecar.awaitAudit("toolu_01FlowPushA", "tool_call.approval_requested");
      String qualified = requested.path("approval").path("name").asText();
      name = qualified.substring(AGENTS.length() + 1);
      ToolCallApproval pending = approval(name);
      assertThat(pending.getSpec().getApprovers()).containsExactly(APPROVERS);
      assertThat(pending.getSpec().getDecision()).isNull();

      Cli list = kubectlTollgate(User.ALICE, "approvals");
      assertThat(list.exitCode()).as(list.stderr()).isZero();
      assertThat(list.stdout()).contains("NAME").contains("STATE");
      assertThat(line(list.stdout(), name))
          .contains("Pending")
          .contains("Bash")
          .contains("Bash: " + command)
          .contains("user:alice")
          .contains(APPROVERS);
      assertThat(hook.running()).as("the call is held while nobody decided").isTrue();

      Cli mallory = kubectlTollgate(User.MALLORY, "approve", name);
      assertThat(mallory.exitCode()).isEqualTo(1);
      assertThat(mallory.stdout()).isEmpty();
      assertThat(mallory.stderr())
          .contains("tollgate: cannot approve " + name + ": ")
          .contains("admission webhook \"approvals.tollgate.dev\" denied the request")
          .contains(
              "mallory is not an approver of ToolCallApproval "
                  + qualified
                  + " (approvers: "
                  + APPROVERS
                  + ")");

      Cli agent = kubectlTollgate(dir.resolve("sidecar.kubeconfig"), "approve", name);
      assertThat(agent.exitCode()).as("the agent's own service account").isEqualTo(1);
      // Refused by RBAC (the operator's Role has no patch), or, when another test granted the
      // service account patch, by the guard: either way the agent does not approve its own call.
      assertThat(agent.stderr()).containsAnyOf("forbidden", "the agent's own service account");
      assertThat(approval(name).getSpec().getDecision()).isNull();
      assertThat(hook.running()).isTrue();

      Cli alice = kubectlTollgate(User.ALICE, "approve", name, "--reason", "release 1.4 is due");
      assertThat(alice.exitCode()).as(alice.stderr()).isZero();
      assertThat(alice.stdout())
          .contains(
              "approved ToolCallApproval "
                  + qualified
                  + " (Bash: "
                  + command
                  + "), decided by alice");

      HookProcess.Result result = hook.await(HOOK);
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.decision()).isEqualTo("allow");
      assertThat(result.reason())
          .contains("approved by alice: release 1.4 is due (ToolCallApproval " + qualified + ")");
    }
    ToolCallApproval approved = approval(name);
    assertThat(approved.getSpec().getDecision()).isEqualTo(ApprovalDecision.APPROVED);
    assertThat(approved.getSpec().getDecidedBy()).as("stamped by the webhook").isEqualTo("alice");
    assertThat(approved.getSpec().getReason()).isEqualTo("release 1.4 is due");
    assertThat(approved.getMetadata().getAnnotations())
        .as("used by the call it allowed")
        .containsEntry(ApprovalMarks.CONSUMED_BY, "toolu_01FlowPushA");
    Awaitility.await("the operator marks " + name + " Approved")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                approval(name).getStatus() != null
                    && approval(name).getStatus().getPhase() == ApprovalPhase.APPROVED);
    JsonNode granted = sidecar.awaitAudit("toolu_01FlowPushA", "tool_call.approved");
    assertThat(granted.path("decision").asText()).isEqualTo("allow");
    assertThat(texts(granted.path("reasons"))).contains("ApprovalGranted");
    assertThat(granted.path("approval").path("decidedBy").asText()).isEqualTo("alice");
    SidecarHookIT.awaitEvent(admin, POD, "toolu_01FlowPushA", "ToolCallApproved");

    // The call ran: Claude Code's PostToolUse links the execution to the approval that allowed it.
    HookProcess.Result post =
        HookProcess.run(
            cluster,
            pod,
            sidecar,
            dir,
            HookInputs.post(
                "toolu_01FlowPushA",
                "Bash",
                input,
                Map.of(
                    "stdout",
                    "To github.com:acme/app.git\n * [new branch] feature/login -> feature/login",
                    "stderr",
                    "",
                    "interrupted",
                    false,
                    "isImage",
                    false)),
            HOOK);
    assertThat(post.exitCode()).as(post.stderr()).isZero();
    JsonNode executed = sidecar.awaitAudit("toolu_01FlowPushA", "tool_call.executed");
    assertThat(executed.path("approval").path("name").asText()).isEqualTo(AGENTS + "/" + name);
    assertThat(executed.path("approval").path("decidedBy").asText()).isEqualTo("alice");
    assertThat(executed.path("argsDigest").asText()).isEqualTo(granted.path("argsDigest").asText());

    // The same call again: the approval allowed one call, so a new one is asked for ...
    try (HookProcess retry =
        HookProcess.start(
            cluster, pod, sidecar, dir, HookInputs.pre("toolu_01FlowPushB", "Bash", input))) {
      JsonNode requested = sidecar.awaitAudit("toolu_01FlowPushB", "tool_call.approval_requested");
      String second =
          requested.path("approval").path("name").asText().substring(AGENTS.length() + 1);
      assertThat(second).isNotEqualTo(name);
      assertThat(approval(second).getSpec().getDecision()).isNull();
      assertThat(retry.running()).isTrue();

      // ... and rejected: the held call is denied with the human's reason.
      Cli reject = kubectlTollgate(User.ALICE, "reject", second, "--reason", "not on a Friday");
      assertThat(reject.exitCode()).as(reject.stderr()).isZero();
      HookProcess.Result result = retry.await(HOOK);
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.decision()).isEqualTo("deny");
      assertThat(result.reason())
          .contains(
              "rejected by alice: not on a Friday (ToolCallApproval "
                  + AGENTS
                  + "/"
                  + second
                  + ")");
      JsonNode rejected = sidecar.awaitAudit("toolu_01FlowPushB", "tool_call.rejected");
      assertThat(rejected.path("decision").asText()).isEqualTo("deny");
      assertThat(rejected.path("approval").path("reason").asText()).isEqualTo("not on a Friday");
      SidecarHookIT.awaitEvent(admin, POD, "toolu_01FlowPushB", "ToolCallRejected");
    }
    assertThat(approval(name).getMetadata().getAnnotations())
        .containsEntry(ApprovalMarks.CONSUMED_BY, "toolu_01FlowPushA");
  }

  @Test
  void anUndecidedApprovalTimesOutAndTheOperatorMarksItExpired() {
    useApproval(2);
    long started = System.nanoTime();
    HookProcess.Result result =
        HookProcess.run(
            cluster,
            pod,
            sidecar,
            dir,
            HookInputs.pre(
                "toolu_01FlowPushExpires", "Bash", Map.of("command", "npm publish --tag hotfix")),
            HOOK);
    double waited = (System.nanoTime() - started) / 1e9;

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.decision()).isEqualTo("deny");
    assertThat(result.reason()).contains("no decision in time on ToolCallApproval " + AGENTS + "/");
    assertThat(waited).as("held for the identity's approval wait").isGreaterThanOrEqualTo(1.9);
    JsonNode timedOut =
        sidecar.audit("toolu_01FlowPushExpires").stream()
            .filter(e -> e.path("type").asText().equals("tool_call.denied"))
            .findFirst()
            .orElseThrow();
    assertThat(texts(timedOut.path("reasons"))).contains("ApprovalTimedOut");
    String name = timedOut.path("approval").path("name").asText().substring(AGENTS.length() + 1);

    Awaitility.await("the operator marks " + name + " Expired")
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                approval(name).getStatus() != null
                    && approval(name).getStatus().getPhase() == ApprovalPhase.EXPIRED);
    assertThat(approval(name).getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Expired");
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("TimedOut");
            });

    Cli late = kubectlTollgate(User.ALICE, "approve", name);
    assertThat(late.exitCode()).isEqualTo(1);
    assertThat(late.stderr())
        .contains("tollgate: cannot approve " + name + ": ")
        .contains("ToolCallApproval " + AGENTS + "/" + name + " expired at ");
    Cli list = kubectlTollgate(User.ALICE, "approvals");
    assertThat(list.exitCode()).as(list.stderr()).isZero();
    assertThat(list.stdout()).doesNotContain(name);
  }

  // ---------------------------------------------------------------------------------------------

  private static void setApproval(int timeoutSeconds, String approvers) {
    admin
        .resources(AgentIdentity.class)
        .inNamespace(AGENTS)
        .withName(AgentPods.IDENTITY)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"approval\":{\"timeoutSeconds\":"
                + timeoutSeconds
                + ",\"defaultApprovers\":[\""
                + approvers
                + "\"]}}}");
  }

  /**
   * The identity waits {@code timeoutSeconds} for platform approvers; the sidecar enforces it
   * before this returns.
   */
  private static void useApproval(int timeoutSeconds) {
    setApproval(timeoutSeconds, APPROVERS);
    sidecar.refreshBundle();
  }

  private static ToolCallApproval approval(String name) {
    return admin.resources(ToolCallApproval.class).inNamespace(AGENTS).withName(name).get();
  }

  private static String line(String table, String name) {
    return table
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + name + " in:\n" + table));
  }

  record Cli(int exitCode, String stdout, String stderr) {}

  private static Cli kubectlTollgate(User user, String... args) {
    return kubectlTollgate(cluster.controlPlane().kubeconfig(user), args);
  }

  /** {@code bin/kubectl-tollgate ARGS --kubeconfig FILE -n agents}, as a process. */
  private static Cli kubectlTollgate(Path kubeconfig, String... args) {
    KubectlTollgate.Result result = new KubectlTollgate(cluster, dir).run(kubeconfig, args);
    return new Cli(result.exitCode(), result.stdout(), result.stderr());
  }
}
