package dev.tollgate.sidecar.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.api.v1alpha1.ApprovalDecision;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesApprovalStoreTest {

  private static final String DIGEST = "c".repeat(64);

  KubernetesClient client;
  private KubernetesApprovalStore store;

  @BeforeEach
  void start() {
    store = new KubernetesApprovalStore(client, "team-a", "agent-0", 5);
  }

  @AfterEach
  void stop() {
    store.close();
  }

  @Test
  void createsAnUndecidedToolCallApprovalThatNamesTheCall() throws Exception {
    ApprovalRecord created = store.create(newApproval());
    String name = created.name().substring("team-a/".length());
    ToolCallApproval stored =
        client.resources(ToolCallApproval.class).inNamespace("team-a").withName(name).get();
    assertThat(name).startsWith("bash-cccccccc-");
    assertThat(stored.getSpec().getDecision()).isNull();
    assertThat(stored.getSpec().getTool()).isEqualTo("Bash");
    assertThat(stored.getSpec().getArgsDigest()).isEqualTo(DIGEST);
    assertThat(stored.getSpec().getApprovers()).containsExactly("group:platform-approvers");
    assertThat(stored.getSpec().getExpiresAt()).isEqualTo("2026-11-24T11:00:00Z");
    assertThat(stored.getMetadata().getLabels())
        .containsEntry(KubernetesApprovalStore.POD_LABEL, "agent-0");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> store.find("agent-0", "Bash", DIGEST).size() == 1);
  }

  @Test
  void reportsDecisionsButOnlyStampedOnes() throws Exception {
    List<ApprovalRecord> seen = new CopyOnWriteArrayList<>();
    store.onChange(seen::add);
    ApprovalRecord created = store.create(newApproval());
    String name = created.name().substring("team-a/".length());

    // A decision without the webhook's decidedBy stamp never passed the guard: still pending.
    client
        .resources(ToolCallApproval.class)
        .inNamespace("team-a")
        .withName(name)
        .edit(
            a -> {
              a.getSpec().setDecision(ApprovalDecision.APPROVED);
              return a;
            });
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                seen.stream()
                    .anyMatch(
                        a ->
                            a.name().equals(created.name())
                                && a.state() == ApprovalRecord.State.PENDING
                                && a.pod().equals("agent-0")));

    client
        .resources(ToolCallApproval.class)
        .inNamespace("team-a")
        .withName(name)
        .edit(
            a -> {
              a.getSpec().setDecidedBy("alice");
              a.getSpec().setReason("ok");
              return a;
            });
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                seen.stream()
                    .anyMatch(
                        a ->
                            a.state() == ApprovalRecord.State.APPROVED
                                && a.decidedBy().equals("alice")
                                && a.reason().equals("ok")));
  }

  @Test
  void anApprovalIsUsedByOneCallOnly() throws Exception {
    ApprovalRecord created = store.create(newApproval());
    assertThat(store.consume(created, "toolu_1")).isTrue();
    assertThat(store.consume(created, "toolu_1")).as("the same call again").isTrue();
    assertThat(store.consume(created, "toolu_2")).isFalse();
    String name = created.name().substring("team-a/".length());
    assertThat(
            client
                .resources(ToolCallApproval.class)
                .inNamespace("team-a")
                .withName(name)
                .get()
                .getMetadata()
                .getAnnotations())
        .containsEntry(KubernetesApprovalStore.CONSUMED_BY, "toolu_1");
  }

  @Test
  void ignoresOtherPodsApprovals() throws Exception {
    KubernetesApprovalStore other = new KubernetesApprovalStore(client, "team-a", "agent-1", 5);
    try {
      other.create(
          new NewApproval(
              "coder",
              "agent-1",
              "Bash",
              DIGEST,
              "Bash: x",
              "",
              List.of("user:lead"),
              Instant.parse("2026-11-24T11:00:00Z"),
              "toolu_9"));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> other.find("agent-1", "Bash", DIGEST).size() == 1);
      assertThat(store.find("agent-0", "Bash", DIGEST)).isEmpty();
    } finally {
      other.close();
    }
  }

  private static NewApproval newApproval() {
    return new NewApproval(
        "coder",
        "agent-0",
        "Bash",
        DIGEST,
        "Bash: git push origin main",
        "user:alice",
        List.of("group:platform-approvers"),
        Instant.parse("2026-11-24T11:00:00Z"),
        "toolu_1");
  }
}
