package dev.tollgate.e2e;

import static dev.tollgate.e2e.TollgateCluster.AGENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.api.v1alpha1.ApprovalDecision;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.api.v1alpha1.ToolCallApprovalSpec;
import dev.tollgate.e2e.ControlPlane.User;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who may decide a ToolCallApproval, with real authentication: RBAC lets alice, mallory and the
 * agent's own service account patch approvals alike (a Role this test grants), and the webhook's
 * guard is what tells them apart, from the user the API server authenticated.
 */
@ExtendWith(TollgateClusterExtension.class)
class ApprovalRbacIT {

  private static final String AGENT_ACCOUNT = "system:serviceaccount:" + AGENTS + ":repo-coder";

  private static KubernetesClient admin;
  private static KubernetesClient agent;
  private static KubernetesClient alice;
  private static KubernetesClient mallory;

  @BeforeAll
  static void grantEveryoneThePatchVerb(TollgateCluster cluster) {
    admin = cluster.admin();
    Examples.apply(cluster);
    Identities.awaitReady(admin, AGENTS, "repo-coder");
    Manifests.applyYaml(
        admin,
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: repo-coder, namespace: %1$s}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: e2e-approval-deciders, namespace: %1$s}
        rules:
          - apiGroups: [tollgate.dev]
            resources: [toolcallapprovals]
            verbs: [get, list, watch, update, patch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: e2e-approval-deciders, namespace: %1$s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: e2e-approval-deciders}
        subjects:
          - {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}
          - {apiGroup: rbac.authorization.k8s.io, kind: User, name: mallory}
          - {kind: ServiceAccount, name: repo-coder, namespace: %1$s}
        """
            .formatted(AGENTS));
    TokenRequest token =
        admin
            .serviceAccounts()
            .inNamespace(AGENTS)
            .withName("repo-coder")
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build());
    agent = cluster.controlPlane().clientWithToken(token.getStatus().getToken());
    alice = cluster.controlPlane().client(User.ALICE);
    mallory = cluster.controlPlane().client(User.MALLORY);
  }

  @AfterAll
  static void closeClients() {
    for (KubernetesClient client : new KubernetesClient[] {agent, alice, mallory}) {
      if (client != null) {
        client.close();
      }
    }
  }

  @Test
  void onlyAListedApproverDecidesAndTheDeciderIsStampedFromAuthentication() {
    // The sidecar creates approvals as the agent's service account, through the Role the operator
    // manages for the identity (tollgate-sidecar-repo-coder): wait for the operator to grant it.
    ToolCallApproval created =
        Awaitility.await("the sidecar's Role lets the agent create approvals")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(250))
            .ignoreExceptions()
            .until(() -> agent.resource(approval("push-1")).create(), created1 -> created1 != null);
    assertThat(created.getSpec().getDecision()).isNull();
    awaitOperatorStatus("push-1");

    assertThatThrownBy(() -> decide(mallory, "push-1", ApprovalDecision.APPROVED))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("admission webhook \"approvals.tollgate.dev\" denied the request")
        .hasMessageContaining(
            "mallory is not an approver of ToolCallApproval agents/push-1 (approvers: group:platform-approvers)");
    assertThatThrownBy(() -> decide(agent, "push-1", ApprovalDecision.APPROVED))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(
            "the agent's own service account (" + AGENT_ACCOUNT + ") may not decide its approvals");

    ToolCallApproval decided = decide(alice, "push-1", ApprovalDecision.APPROVED);

    assertThat(decided.getSpec().getDecision()).isEqualTo(ApprovalDecision.APPROVED);
    assertThat(decided.getSpec().getDecidedBy())
        .as("stamped by the webhook from the authenticated user")
        .isEqualTo("alice");
  }

  @Test
  void aDeciderNameSetByTheClientIsReplacedByTheAuthenticatedUser() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> agent.resource(approval("push-2")).create(), created -> created != null);
    awaitOperatorStatus("push-2");

    ToolCallApproval decided =
        alice
            .resources(ToolCallApproval.class)
            .inNamespace(AGENTS)
            .withName("push-2")
            .edit(
                a -> {
                  a.getSpec().setDecision(ApprovalDecision.REJECTED);
                  a.getSpec().setDecidedBy("somebody-else");
                  return a;
                });

    assertThat(decided.getSpec().getDecidedBy()).isEqualTo("alice");
  }

  // The operator writes the new approval's status (phase Pending) right after it is created; an
  // edit (optimistically locked on resourceVersion) racing that write fails with 409 Conflict.
  private static void awaitOperatorStatus(String name) {
    Awaitility.await("the operator's status on " + name)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                admin
                        .resources(ToolCallApproval.class)
                        .inNamespace(AGENTS)
                        .withName(name)
                        .get()
                        .getStatus()
                    != null);
  }

  private static ToolCallApproval decide(
      KubernetesClient client, String name, ApprovalDecision decision) {
    return client
        .resources(ToolCallApproval.class)
        .inNamespace(AGENTS)
        .withName(name)
        .edit(
            a -> {
              a.getSpec().setDecision(decision);
              return a;
            });
  }

  private static ToolCallApproval approval(String name) {
    ToolCallApproval approval = new ToolCallApproval();
    approval.getMetadata().setName(name);
    approval.getMetadata().setNamespace(AGENTS);
    ToolCallApprovalSpec spec = new ToolCallApprovalSpec();
    spec.setIdentity("repo-coder");
    spec.setPod("repo-coder-1");
    spec.setTool("Bash");
    spec.setArgsDigest("a".repeat(64));
    spec.setSummary("git push origin main");
    spec.setRequestedBy("alice");
    spec.setApprovers(List.of("group:platform-approvers"));
    spec.setExpiresAt(
        OffsetDateTime.now(ZoneOffset.UTC)
            .plusMinutes(10)
            .truncatedTo(ChronoUnit.SECONDS)
            .toString());
    approval.setSpec(spec);
    return approval;
  }
}
