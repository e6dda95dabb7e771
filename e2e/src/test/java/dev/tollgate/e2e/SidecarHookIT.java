package dev.tollgate.e2e;

import static dev.tollgate.e2e.TollgateCluster.AGENTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.v1alpha1.ApprovalDecision;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.e2e.ControlPlane.User;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.StreamSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision point as it runs in an agent pod: the real sidecar jar, configured like the
 * container the webhook injected into a stored pod, enforcing the bundle the operator published for
 * examples/' repo-coder, and talking to the API server as the identity's service account (so the
 * Role the operator made for the identity is what lets it create approvals and Events). Real Claude
 * Code hook inputs go through the real hook client, wired as the injected managed settings wire it.
 */
@ExtendWith(TollgateClusterExtension.class)
class SidecarHookIT {

  private static final String POD = "hook-agent";
  private static final Duration HOOK = Duration.ofSeconds(20);

  @TempDir static Path dir;

  private static TollgateCluster cluster;
  private static KubernetesClient admin;
  private static Pod pod;
  private static String revision;
  private static SidecarProcess sidecar;

  @BeforeAll
  static void startTheSidecarOfAnInjectedPod(TollgateCluster shared) {
    cluster = shared;
    admin = cluster.admin();
    Examples.apply(cluster);
    revision =
        Identities.awaitReady(admin, AGENTS, AgentPods.IDENTITY)
            .getStatus()
            .getBundle()
            .getRevision();
    // examples/ names group:release-managers as repo-coder's approvers; RBAC lets them decide.
    Manifests.applyYaml(
        admin,
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: e2e-release-managers, namespace: %1$s}
        rules:
          - apiGroups: [tollgate.dev]
            resources: [toolcallapprovals]
            verbs: [get, list, patch, update]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: e2e-release-managers, namespace: %1$s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: e2e-release-managers}
        subjects:
          - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: release-managers}
        """
            .formatted(AGENTS));
    pod = AgentPods.create(cluster, POD);
    sidecar = SidecarProcess.start(cluster, pod, dir, "--approvals", "on", "--events", "on");
  }

  @AfterAll
  static void stopTheSidecar() {
    if (sidecar != null) {
      sidecar.close();
    }
  }

  @Test
  void theSidecarAuthenticatesAsTheIdentitysServiceAccountThroughTheOperatorsRole() {
    RoleBinding binding =
        admin
            .rbac()
            .roleBindings()
            .inNamespace(AGENTS)
            .withName("tollgate-sidecar-" + AgentPods.IDENTITY)
            .get();
    assertThat(binding.getRoleRef().getName()).isEqualTo("tollgate-sidecar-" + AgentPods.IDENTITY);
    assertThat(binding.getSubjects())
        .anySatisfy(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(AgentPods.SERVICE_ACCOUNT);
            });
    assertThat(sidecar.logs())
        .contains("calls that need approval create ToolCallApprovals in " + AGENTS)
        .contains("denials are published as Kubernetes Events on pod " + AGENTS + "/" + POD)
        .contains("bundle revision " + revision + " in force");
  }

  @Test
  void anAllowedReadRunsAndItsExecutionIsAudited() {
    Map<String, Object> input = Map.of("file_path", "/workspace/src/app/main.py");
    HookProcess.Result pre = run(HookInputs.pre("toolu_01HookReadAllowed", "Read", input));

    assertThat(pre.exitCode()).as(pre.stderr()).isZero();
    assertThat(pre.decision()).isEqualTo("allow");
    assertThat(pre.json().path("hookSpecificOutput").path("hookEventName").asText())
        .isEqualTo("PreToolUse");
    assertThat(pre.reason())
        .startsWith("Tollgate: ")
        .contains("RuleAllowed")
        .contains("agents/workspace-files/read-workspace");

    HookProcess.Result post =
        run(
            HookInputs.post(
                "toolu_01HookReadAllowed",
                "Read",
                input,
                Map.of(
                    "type",
                    "text",
                    "file",
                    Map.of(
                        "filePath",
                        "/workspace/src/app/main.py",
                        "content",
                        "print('hi')",
                        "numLines",
                        1))));
    assertThat(post.exitCode()).as(post.stderr()).isZero();

    sidecar.awaitAudit("toolu_01HookReadAllowed", "tool_call.executed");
    List<JsonNode> events = sidecar.audit("toolu_01HookReadAllowed");
    assertThat(events)
        .extracting(e -> e.path("type").asText())
        .containsExactly("tool_call.attempted", "tool_call.allowed", "tool_call.executed");
    JsonNode allowed = events.get(1);
    assertThat(allowed.path("schema").asText()).isEqualTo("tollgate.dev/audit/v1");
    assertThat(allowed.path("source").asText()).isEqualTo("claude-code-hook");
    assertThat(allowed.path("identity").asText()).isEqualTo(AGENTS + "/" + AgentPods.IDENTITY);
    assertThat(allowed.path("namespace").asText()).isEqualTo(AGENTS);
    assertThat(allowed.path("pod").asText()).isEqualTo(POD);
    assertThat(allowed.path("principal").asText()).isEqualTo(AgentPods.PRINCIPAL);
    assertThat(allowed.path("sessionId").asText()).isEqualTo(HookInputs.SESSION);
    assertThat(allowed.path("tool").asText()).isEqualTo("Read");
    assertThat(allowed.path("resource").path("path").asText())
        .isEqualTo("/workspace/src/app/main.py");
    assertThat(allowed.path("decision").asText()).isEqualTo("allow");
    assertThat(texts(allowed.path("rules")))
        .containsExactly("agents/workspace-files/read-workspace");
    assertThat(allowed.path("bundleRevision").asText()).isEqualTo(revision);
    assertThat(allowed.path("argsDigest").asText()).matches("[0-9a-f]{64}");
    assertThat(events.get(2).path("argsDigest").asText())
        .isEqualTo(allowed.path("argsDigest").asText());
  }

  @Test
  void anOutcomeForACallTheSidecarNeverAllowedIsRecordedAsUnmatched() {
    // Any process in the pod can post to the loopback endpoint: its word is kept, and flagged.
    HookProcess.Result post =
        run(
            HookInputs.post(
                "toolu_01HookNeverAsked",
                "Bash",
                Map.of("command", "git push --force origin main"),
                Map.of("stdout", "", "stderr", "", "interrupted", false)));
    assertThat(post.exitCode()).as(post.stderr()).isZero();
    JsonNode executed = sidecar.awaitAudit("toolu_01HookNeverAsked", "tool_call.executed");
    assertThat(executed.path("unmatched").asBoolean()).isTrue();
    assertThat(sidecar.audit("toolu_01HookNeverAsked"))
        .extracting(e -> e.path("type").asText())
        .doesNotContain("tool_call.allowed");
  }

  @Test
  void aSecretReadIsDeniedAndAnEventIsPublishedOnThePod() {
    HookProcess.Result pre =
        run(
            HookInputs.pre(
                "toolu_01HookDotenvDenied", "Read", Map.of("file_path", "/workspace/.env")));

    assertThat(pre.exitCode()).as(pre.stderr()).isZero();
    assertThat(pre.decision()).isEqualTo("deny");
    assertThat(pre.reason())
        .contains(".env files hold secrets")
        .contains("RuleDenied")
        .contains("agents/secrets/no-dotenv-files");
    JsonNode denied = sidecar.awaitAudit("toolu_01HookDotenvDenied", "tool_call.denied");
    assertThat(denied.path("decision").asText()).isEqualTo("deny");
    assertThat(texts(denied.path("reasons"))).containsExactly("RuleDenied");
    assertThat(texts(denied.path("rules"))).containsExactly("agents/secrets/no-dotenv-files");
    assertThat(sidecar.audit("toolu_01HookDotenvDenied"))
        .extracting(e -> e.path("type").asText())
        .containsExactly("tool_call.attempted", "tool_call.denied");

    Event event = awaitEvent("toolu_01HookDotenvDenied", "ToolCallDenied");
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getAction()).isEqualTo("Authorize");
    assertThat(event.getReportingController()).isEqualTo("tollgate.dev/sidecar");
    assertThat(event.getRegarding().getUid()).isEqualTo(pod.getMetadata().getUid());
    assertThat(event.getNote()).contains("tool Read").contains("agents/secrets/no-dotenv-files");
  }

  @Test
  void aForcePushIsDeniedEvenThoughPushesOnlyNeedApproval() {
    HookProcess.Result pre =
        run(
            HookInputs.pre(
                "toolu_01HookForcePush",
                "Bash",
                Map.of(
                    "command",
                    "git push --force origin main",
                    "description",
                    "Push the rewritten history")));

    assertThat(pre.exitCode()).as(pre.stderr()).isZero();
    assertThat(pre.decision()).isEqualTo("deny");
    assertThat(pre.reason())
        .contains("force pushes are not allowed")
        .contains("agents/shell/no-force-push");
    JsonNode denied = sidecar.awaitAudit("toolu_01HookForcePush", "tool_call.denied");
    assertThat(texts(denied.path("rules"))).contains("agents/shell/no-force-push");
    assertThat(denied.path("resource").path("command").asText())
        .isEqualTo("git push --force origin main");
    assertThat(admin.resources(ToolCallApproval.class).inNamespace(AGENTS).list().getItems())
        .as("Deny beats RequireApproval: no approval is asked for")
        .noneSatisfy(
            a -> assertThat(a.getSpec().getCorrelationId()).isEqualTo("toolu_01HookForcePush"));
    assertThat(awaitEvent("toolu_01HookForcePush", "ToolCallDenied").getNote())
        .contains("agents/shell/no-force-push");
  }

  @Test
  void aPushIsHeldForApprovalWhichTheSidecarAsksForAsTheAgent() throws Exception {
    String command = "npm publish --access public";
    try (HookProcess hook =
        HookProcess.start(
            cluster,
            pod,
            sidecar,
            dir,
            HookInputs.pre(
                "toolu_01HookPushHeld",
                "Bash",
                Map.of("command", command, "description", "Publish the package")))) {
      JsonNode requested =
          sidecar.awaitAudit("toolu_01HookPushHeld", "tool_call.approval_requested");
      String approvalName = requested.path("approval").path("name").asText();
      assertThat(approvalName).startsWith(AGENTS + "/bash-");
      assertThat(requested.path("decision").asText()).isEqualTo("approval_required");
      assertThat(texts(requested.path("rules")))
          .containsExactly("agents/publishing/package-publish-needs-approval");
      Thread.sleep(500);
      assertThat(hook.running()).as("the hook waits for the decision").isTrue();

      ToolCallApproval approval =
          admin
              .resources(ToolCallApproval.class)
              .inNamespace(AGENTS)
              .withName(approvalName.substring(AGENTS.length() + 1))
              .get();
      assertThat(approval.getMetadata().getLabels()).containsEntry("tollgate.dev/pod", POD);
      assertThat(approval.getSpec().getIdentity()).isEqualTo(AgentPods.IDENTITY);
      assertThat(approval.getSpec().getPod()).isEqualTo(POD);
      assertThat(approval.getSpec().getTool()).isEqualTo("Bash");
      assertThat(approval.getSpec().getArgsDigest())
          .isEqualTo(requested.path("argsDigest").asText());
      // The approver reads the command as given, then what the parser says will run.
      assertThat(approval.getSpec().getSummary())
          .isEqualTo("Bash: " + command + "\nruns " + command);
      assertThat(approval.getSpec().getRequestedBy()).isEqualTo("user:" + AgentPods.PRINCIPAL);
      assertThat(approval.getSpec().getApprovers())
          .as("examples/: repo-coder's defaultApprovers")
          .containsExactly("group:release-managers");
      assertThat(approval.getSpec().getDecision()).isNull();
      Event event = awaitEvent("toolu_01HookPushHeld", "ToolCallApprovalRequested");
      assertThat(event.getType()).isEqualTo("Normal");
      assertThat(event.getNote()).contains(approvalName);

      // A release manager (examples/ names that group; the admin impersonates one) rejects it,
      // once the operator wrote its status (an edit is locked on resourceVersion: no 409 race).
      Awaitility.await("the operator's status on " + approvalName)
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  admin
                          .resources(ToolCallApproval.class)
                          .inNamespace(AGENTS)
                          .withName(approval.getMetadata().getName())
                          .get()
                          .getStatus()
                      != null);
      try (KubernetesClient releaseManager = impersonating("rita", "release-managers")) {
        releaseManager
            .resources(ToolCallApproval.class)
            .inNamespace(AGENTS)
            .withName(approval.getMetadata().getName())
            .edit(
                a -> {
                  a.getSpec().setDecision(ApprovalDecision.REJECTED);
                  a.getSpec().setReason("the branch is not reviewed yet");
                  return a;
                });
      }
      HookProcess.Result result = hook.await(HOOK);
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.decision()).isEqualTo("deny");
      assertThat(result.reason())
          .contains(
              "rejected by rita: the branch is not reviewed yet (ToolCallApproval "
                  + approvalName
                  + ")");
      JsonNode rejected = sidecar.awaitAudit("toolu_01HookPushHeld", "tool_call.rejected");
      assertThat(rejected.path("approval").path("decidedBy").asText()).isEqualTo("rita");
      assertThat(awaitEvent("toolu_01HookPushHeld", "ToolCallRejected").getType())
          .isEqualTo("Warning");
    }
  }

  private static HookProcess.Result run(String input) {
    return HookProcess.run(cluster, pod, sidecar, dir, input, HOOK);
  }

  private static KubernetesClient impersonating(String user, String group) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(cluster.controlPlane().config(User.ADMIN))
                .withImpersonateUsername(user)
                .withImpersonateGroups(group)
                .build())
        .build();
  }

  /** The Event (events.k8s.io/v1) the sidecar published about the pod for this call. */
  static Event awaitEvent(KubernetesClient admin, String pod, String correlationId, String reason) {
    return Awaitility.await(reason + " Event for " + correlationId)
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                admin.events().v1().events().inNamespace(AGENTS).list().getItems().stream()
                    .filter(
                        e ->
                            e.getRegarding() != null
                                && pod.equals(e.getRegarding().getName())
                                && "Pod".equals(e.getRegarding().getKind()))
                    .filter(
                        e ->
                            reason.equals(e.getReason())
                                && e.getNote() != null
                                && e.getNote().contains("[correlationId " + correlationId + "]"))
                    .findFirst()
                    .orElse(null),
            Objects::nonNull);
  }

  private static Event awaitEvent(String correlationId, String reason) {
    return awaitEvent(admin, POD, correlationId, reason);
  }

  static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
