package dev.tollgate.operator.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.api.v1alpha1.ApprovalPhase;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.operator.OperatorHarness;
import dev.tollgate.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Approvals on a mock API server with the real clock: expiry and deletion must happen on time from
 * the reconciler's own wake-ups, with nothing else touching the object.
 */
@EnableKubernetesMockClient(crud = true)
class ApprovalLifecycleTest {

  private static final Duration WAIT = Duration.ofSeconds(8);
  private static final Duration POLL = Duration.ofMillis(50);

  KubernetesClient client;
  private ApprovalOperator operator;

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void aPendingApprovalSaysWhenItExpires() {
    start(Duration.ofHours(1));
    String expiresAt = Instant.now().plus(Duration.ofHours(1)).toString();
    OperatorHarness.apply(client, approval("a1", expiresAt, null));

    ToolCallApproval approval = awaitApproval("a1", a -> a.getStatus() != null);
    assertThat(approval.getStatus().getPhase()).isEqualTo(ApprovalPhase.PENDING);
    assertThat(approval.getStatus().getObservedGeneration())
        .isEqualTo(approval.getMetadata().getGeneration());
    assertThat(approval.getStatus().getDecidedAt()).isNull();
    Condition expired = expired(approval);
    assertThat(expired.getStatus()).isEqualTo("False");
    assertThat(expired.getReason()).isEqualTo("Pending");
    assertThat(expired.getMessage()).isEqualTo("expires at " + expiresAt);
  }

  @Test
  void anApprovalPastItsExpiryIsExpired() {
    start(Duration.ofHours(1));
    String expiresAt = Instant.now().minus(Duration.ofMinutes(1)).toString();
    OperatorHarness.apply(client, approval("a1", expiresAt, null));

    ToolCallApproval approval = awaitApproval("a1", a -> a.getStatus() != null);
    assertThat(approval.getStatus().getPhase()).isEqualTo(ApprovalPhase.EXPIRED);
    assertThat(expired(approval).getStatus()).isEqualTo("True");
    assertThat(expired(approval).getReason()).isEqualTo("TimedOut");
    assertThat(expired(approval).getMessage()).contains(expiresAt);
  }

  @Test
  void aPendingApprovalExpiresOnTimeWithNothingElseHappening() {
    start(Duration.ofHours(1));
    Instant expiresAt = Instant.now().plus(Duration.ofSeconds(2));
    OperatorHarness.apply(client, approval("a1", expiresAt.toString(), null));
    ToolCallApproval pending = awaitApproval("a1", a -> a.getStatus() != null);
    assertThat(pending.getStatus().getPhase()).isEqualTo(ApprovalPhase.PENDING);

    ToolCallApproval expired =
        awaitApproval("a1", a -> a.getStatus().getPhase() == ApprovalPhase.EXPIRED);
    Instant seen = Instant.now();

    assertThat(seen).isAfterOrEqualTo(expiresAt).isBefore(expiresAt.plusSeconds(2));
    assertThat(expired(expired).getReason()).isEqualTo("TimedOut");
    assertThat(Instant.parse(expired(expired).getLastTransitionTime()))
        .isAfterOrEqualTo(expiresAt.truncatedTo(ChronoUnit.SECONDS));
    assertThat(expired.getMetadata().getGeneration())
        .as("the spec never changed")
        .isEqualTo(pending.getMetadata().getGeneration());
    await().atMost(WAIT).until(() -> eventReasons("a1"), reasons -> reasons.contains("TimedOut"));
  }

  @Test
  void aDecisionSetsThePhaseAndWhenItWasSeen() {
    start(Duration.ofHours(1));
    String expiresAt = Instant.now().plus(Duration.ofHours(1)).toString();
    OperatorHarness.apply(
        client, approval("a1", expiresAt, null) + "---\n" + approval("r1", expiresAt, "Rejected"));
    awaitApproval(
        "a1", a -> a.getStatus() != null && a.getStatus().getPhase() == ApprovalPhase.PENDING);

    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    OperatorHarness.apply(client, approval("a1", expiresAt, "Approved"));

    ToolCallApproval approved =
        awaitApproval("a1", a -> a.getStatus().getPhase() == ApprovalPhase.APPROVED);
    assertThat(Instant.parse(approved.getStatus().getDecidedAt())).isBetween(before, Instant.now());
    assertThat(approved.getStatus().getObservedGeneration())
        .isEqualTo(approved.getMetadata().getGeneration());
    assertThat(expired(approved).getStatus()).isEqualTo("False");
    assertThat(expired(approved).getReason()).isEqualTo("Decided");
    assertThat(expired(approved).getMessage())
        .isEqualTo("Approved by user:alice; the approval allows the call once, until " + expiresAt);

    ToolCallApproval rejected = awaitApproval("r1", a -> a.getStatus() != null);
    assertThat(rejected.getStatus().getPhase()).isEqualTo(ApprovalPhase.REJECTED);
    assertThat(rejected.getStatus().getDecidedAt()).isNotNull();
    assertThat(expired(rejected).getMessage()).isEqualTo("Rejected by user:alice");
    await().atMost(WAIT).until(() -> eventReasons("a1"), reasons -> reasons.contains("Decided"));
    assertThat(eventReasons("a1"))
        .as("one Event per transition")
        .containsExactlyInAnyOrder("Pending", "Decided");
  }

  @Test
  void finishedApprovalsAreDeletedWhenTheirRetentionHasPassed() {
    Duration retention = Duration.ofSeconds(2);
    start(retention);
    Instant now = Instant.now();
    Instant expiresAt = now.plus(Duration.ofSeconds(1));
    OperatorHarness.apply(
        client,
        approval("rejected", now.plus(Duration.ofHours(1)).toString(), "Rejected")
            + "---\n"
            + approval("approved", expiresAt.toString(), "Approved")
            + "---\n"
            + approval("expired", expiresAt.toString(), null));
    awaitApproval(
        "rejected",
        a -> a.getStatus() != null && a.getStatus().getPhase() == ApprovalPhase.REJECTED);
    awaitApproval(
        "approved",
        a -> a.getStatus() != null && a.getStatus().getPhase() == ApprovalPhase.APPROVED);
    awaitApproval(
        "expired", a -> a.getStatus() != null && a.getStatus().getPhase() == ApprovalPhase.EXPIRED);

    awaitGone("rejected");
    // An approval stays while it may still be used, and retention runs from its expiry.
    Instant approvedGone = awaitGone("approved");
    assertThat(approvedGone).isAfterOrEqualTo(expiresAt.plus(retention));
    Instant expiredGone = awaitGone("expired");
    assertThat(expiredGone).isAfterOrEqualTo(expiresAt.plus(retention));
  }

  @Test
  void aMalformedExpiryIsExpiredEvenWhenApproved() {
    start(Duration.ofHours(1));
    OperatorHarness.apply(client, approval("a1", "tomorrow", "Approved"));

    ToolCallApproval approval = awaitApproval("a1", a -> a.getStatus() != null);
    assertThat(approval.getStatus().getPhase()).isEqualTo(ApprovalPhase.EXPIRED);
    assertThat(expired(approval).getStatus()).isEqualTo("True");
    assertThat(expired(approval).getReason()).isEqualTo("InvalidExpiry");
    assertThat(expired(approval).getMessage()).contains("\"tomorrow\"").contains("allows nothing");
  }

  private void start(Duration retention) {
    operator = new ApprovalOperator(client, Clock.systemUTC(), retention);
  }

  private ToolCallApproval awaitApproval(String name, Predicate<ToolCallApproval> condition) {
    return await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(
            () ->
                client.resources(ToolCallApproval.class).inNamespace("team-a").withName(name).get(),
            a -> a != null && condition.test(a));
  }

  private Instant awaitGone(String name) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(
            () ->
                client.resources(ToolCallApproval.class).inNamespace("team-a").withName(name).get()
                    == null);
    return Instant.now();
  }

  private List<String> eventReasons(String name) {
    return client.resources(Event.class).inNamespace("team-a").list().getItems().stream()
        .filter(e -> name.equals(e.getRegarding().getName()))
        .map(Event::getReason)
        .toList();
  }

  static Condition expired(ToolCallApproval approval) {
    return Conditions.find(approval.getStatus().getConditions(), "Expired").orElseThrow();
  }

  static String approval(String name, String expiresAt, String decision) {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolCallApproval
        metadata: {name: %s, namespace: team-a}
        spec:
          identity: coder
          pod: coder-0
          tool: Bash
          argsDigest: "%s"
          approvers: ["user:alice"]
          expiresAt: "%s"
        """
            .formatted(name, "ab".repeat(32), expiresAt)
        + (decision == null ? "" : "  decision: " + decision + "\n  decidedBy: \"user:alice\"\n");
  }
}
