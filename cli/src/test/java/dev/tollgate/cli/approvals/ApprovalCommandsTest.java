package dev.tollgate.cli.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.v1alpha1.ApprovalDecision;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.cli.CliRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ApprovalCommandsTest {

  KubernetesClient client;

  @BeforeEach
  void pointAtTheMock() {
    // Each command closes its client: give it its own on the mock's address.
    ClusterAccess.useClientFactory(
        access -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build());
    Clock now = Clock.fixed(Instant.parse("2026-11-24T10:10:00Z"), ZoneOffset.UTC);
    ApprovalsCommand.clock = now;
    ShowCommand.clock = now;
    create("push-1", "agents", "Bash", "Bash: git push origin main", "2026-11-24T11:00:00Z");
    create(
        "issue-2",
        "agents",
        "mcp__github__create_issue",
        "mcp__github__create_issue: {\"title\":\"x\"}",
        "2026-11-24T10:05:00Z");
    create("deploy-3", "ops", "Bash", "Bash: kubectl apply -f prod.yaml", "2026-11-24T12:00:00Z");
  }

  @AfterEach
  void reset() {
    ClusterAccess.useClientFactory(null);
  }

  @Test
  void listsPendingApprovalsOfTheNamespaceWithToolSummaryRequesterAndExpiry() {
    CliRun run = CliRun.run("approvals", "-n", "agents");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("NAME", "TOOL", "SUMMARY", "REQUESTED-BY", "AGE", "EXPIRES")
        .contains("push-1", "Bash: git push origin main", "user:alice", "in 50m")
        .doesNotContain("issue-2") // expired
        .doesNotContain("deploy-3"); // another namespace
    CliRun everywhere = CliRun.run("approvals", "-A", "--all");
    assertThat(everywhere.out()).contains("push-1", "issue-2", "Expired", "deploy-3", "ops");
  }

  @Test
  void approveSetsTheDecisionAndReasonButNeverWhoDecided() {
    CliRun run = CliRun.run("approve", "push-1", "-n", "agents", "--reason", "release day");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    // The sidecar's summary already names the tool: it is not named twice.
    assertThat(run.out())
        .contains("approved ToolCallApproval agents/push-1 (Bash: git push origin main)")
        .doesNotContain("Bash: Bash:");
    ToolCallApproval stored =
        client.resources(ToolCallApproval.class).inNamespace("agents").withName("push-1").get();
    assertThat(stored.getSpec().getDecision()).isEqualTo(ApprovalDecision.APPROVED);
    assertThat(stored.getSpec().getReason()).isEqualTo("release day");
    assertThat(stored.getSpec().getDecidedBy()).as("stamped by the webhook, never sent").isNull();

    CliRun again = CliRun.run("reject", "push-1", "-n", "agents");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("was already decided (Approved", "a decision cannot change");
  }

  @Test
  void rejectAndShow() {
    assertThat(
            CliRun.run("reject", "deploy-3", "-n", "ops", "--reason", "not on a Friday").exitCode())
        .isZero();
    CliRun show = CliRun.run("show", "deploy-3", "-n", "ops");
    assertThat(show.out())
        .contains(
            "ops/deploy-3",
            "Rejected",
            "kubectl apply -f prod.yaml",
            "not on a Friday",
            "group:platform-approvers");
  }

  @Test
  void aSummaryWithoutTheToolsNameGetsItInFront() {
    create("push-4", "agents", "Bash", "git push origin release", "2026-11-24T11:00:00Z");
    CliRun run = CliRun.run("reject", "push-4", "-n", "agents");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("rejected ToolCallApproval agents/push-4 (Bash: git push origin release)");
  }

  @Test
  void anUnknownApprovalIsAClearError() {
    CliRun run = CliRun.run("approve", "nope", "-n", "agents");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("ToolCallApproval agents/nope not found");
  }

  private void create(
      String name, String namespace, String tool, String summary, String expiresAt) {
    client.resource(ApprovalFixtures.approval(name, namespace, tool, summary, expiresAt)).create();
  }
}
