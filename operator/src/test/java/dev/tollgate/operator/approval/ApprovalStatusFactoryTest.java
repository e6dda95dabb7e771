package dev.tollgate.operator.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tollgate.api.v1alpha1.ApprovalDecision;
import dev.tollgate.api.v1alpha1.ApprovalPhase;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.api.v1alpha1.ToolCallApprovalSpec;
import dev.tollgate.api.v1alpha1.ToolCallApprovalStatus;
import dev.tollgate.operator.status.Conditions;
import dev.tollgate.testsupport.MutableClock;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApprovalStatusFactoryTest {

  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final ApprovalStatusFactory factory = new ApprovalStatusFactory(clock);

  @Test
  void pendingUntilTheExpiryThenTimedOut() {
    ToolCallApproval approval = approval("2026-11-23T10:05:00Z", null);

    ToolCallApprovalStatus pending = reconcile(approval);
    assertThat(pending.getPhase()).isEqualTo(ApprovalPhase.PENDING);
    assertThat(pending.getObservedGeneration()).isEqualTo(3L);
    assertThat(pending.getDecidedAt()).isNull();
    assertThat(expired(pending))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("Pending");
              assertThat(c.getMessage()).isEqualTo("expires at 2026-11-23T10:05:00Z");
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-23T10:00:00Z");
            });

    clock.advance(Duration.ofMinutes(5));
    ToolCallApprovalStatus timedOut = reconcile(approval);
    assertThat(timedOut.getPhase())
        .as("the expiry instant itself is past")
        .isEqualTo(ApprovalPhase.EXPIRED);
    assertThat(expired(timedOut))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("TimedOut");
              assertThat(c.getMessage()).contains("2026-11-23T10:05:00Z");
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-23T10:05:00Z");
            });
  }

  @Test
  void decidedAtIsTheFirstObservationOfTheDecision() {
    ToolCallApproval approval = approval("2026-11-23T10:05:00Z", ApprovalDecision.APPROVED);
    approval.getSpec().setDecidedBy("user:alice");

    ToolCallApprovalStatus approved = reconcile(approval);
    assertThat(approved.getPhase()).isEqualTo(ApprovalPhase.APPROVED);
    assertThat(approved.getDecidedAt()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(expired(approved).getStatus()).isEqualTo("False");
    assertThat(expired(approved).getReason()).isEqualTo("Decided");
    assertThat(expired(approved).getMessage()).startsWith("Approved by user:alice");

    clock.advance(Duration.ofMinutes(30));
    ToolCallApprovalStatus later = reconcile(approval);
    assertThat(later)
        .as("nothing to patch: the decision keeps its time, past expiry too")
        .isEqualTo(approved);
  }

  @Test
  void rejectedIsRejectedWhateverTheExpiry() {
    ToolCallApproval approval = approval("2026-11-23T09:00:00Z", ApprovalDecision.REJECTED);

    ToolCallApprovalStatus status = reconcile(approval);

    assertThat(status.getPhase()).isEqualTo(ApprovalPhase.REJECTED);
    assertThat(status.getDecidedAt()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(expired(status).getMessage()).isEqualTo("Rejected");
  }

  @Test
  void aDecisionAfterTheMarkedExpiryDoesNotReviveTheApproval() {
    ToolCallApproval approval = approval("2026-11-23T09:59:00Z", null);
    reconcile(approval);

    approval.getSpec().setDecision(ApprovalDecision.APPROVED);
    clock.advance(Duration.ofSeconds(30));
    ToolCallApprovalStatus status = reconcile(approval);

    assertThat(status.getPhase()).isEqualTo(ApprovalPhase.EXPIRED);
    assertThat(expired(status).getReason()).isEqualTo("TimedOut");
    assertThat(status.getDecidedAt())
        .as("the late decision is still on record")
        .isEqualTo("2026-11-23T10:00:30Z");
  }

  @Test
  void anUnreadableExpiryFailsClosedEvenWhenApproved() {
    ToolCallApproval approval = approval("next tuesday", ApprovalDecision.APPROVED);

    ToolCallApprovalStatus status = reconcile(approval);

    assertThat(status.getPhase()).isEqualTo(ApprovalPhase.EXPIRED);
    assertThat(expired(status).getStatus()).isEqualTo("True");
    assertThat(expired(status).getReason()).isEqualTo("InvalidExpiry");
    assertThat(expired(status).getMessage())
        .isEqualTo(
            "spec.expiresAt \"next tuesday\" is not an RFC 3339 date-time; treated as expired, so the approval allows nothing");
    assertThat(status.getConditions())
        .as("only an edit can fix it: kstatus Failed")
        .extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .containsExactly(
            tuple("Expired", "True", "InvalidExpiry"),
            tuple("Ready", "False", "InvalidExpiry"),
            tuple("Stalled", "True", "InvalidExpiry"));
  }

  @Test
  void readyFollowsThePhaseForTheCurrentGenerationWithoutReconcilingOrStalled() {
    ToolCallApproval approval = approval("2026-11-23T10:05:00Z", null);

    ToolCallApprovalStatus pending = reconcile(approval);
    assertThat(ready(pending))
        .as("a pending approval waits for a person, not for the operator")
        .extracting(Condition::getStatus, Condition::getReason, Condition::getObservedGeneration)
        .containsExactly("True", "Pending", 3L);
    assertThat(pending.getConditions())
        .extracting(Condition::getType)
        .containsExactly("Expired", "Ready");

    approval.getSpec().setDecision(ApprovalDecision.APPROVED);
    approval.getMetadata().setGeneration(4L);
    clock.advance(Duration.ofMinutes(1));
    ToolCallApprovalStatus approved = reconcile(approval);
    assertThat(ready(approved))
        .extracting(Condition::getStatus, Condition::getReason, Condition::getObservedGeneration)
        .containsExactly("True", "Approved", 4L);
    assertThat(ready(approved).getLastTransitionTime())
        .as("Ready stayed True, so it did not transition")
        .isEqualTo("2026-11-23T10:00:00Z");
    assertThat(approved.getObservedGeneration()).isEqualTo(4L);

    ToolCallApproval late = approval("2026-11-23T10:05:00Z", null);
    clock.advance(Duration.ofMinutes(10));
    assertThat(ready(reconcile(late)))
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("True", "Expired");
  }

  @Test
  void aMissingExpiryOrSpecFailsClosed() {
    ToolCallApproval noSpec = approval(null, null);
    noSpec.setSpec(null);

    ToolCallApprovalStatus status = reconcile(noSpec);

    assertThat(status.getPhase()).isEqualTo(ApprovalPhase.EXPIRED);
    assertThat(expired(status).getMessage()).startsWith("spec.expiresAt is missing");
  }

  private ToolCallApprovalStatus reconcile(ToolCallApproval approval) {
    ToolCallApprovalStatus status = factory.build(approval);
    approval.setStatus(status);
    return status;
  }

  private static Condition ready(ToolCallApprovalStatus status) {
    return Conditions.find(status.getConditions(), "Ready").orElseThrow();
  }

  private static Condition expired(ToolCallApprovalStatus status) {
    return Conditions.find(status.getConditions(), "Expired").orElseThrow();
  }

  static ToolCallApproval approval(String expiresAt, ApprovalDecision decision) {
    ToolCallApprovalSpec spec = new ToolCallApprovalSpec();
    spec.setIdentity("coder");
    spec.setPod("coder-0");
    spec.setTool("Bash");
    spec.setArgsDigest("0".repeat(64));
    spec.setExpiresAt(expiresAt);
    spec.setDecision(decision);
    ToolCallApproval approval = new ToolCallApproval();
    approval.setMetadata(
        new ObjectMetaBuilder()
            .withName("a1")
            .withNamespace("team-a")
            .withGeneration(3L)
            .withCreationTimestamp("2026-11-23T09:30:00Z")
            .build());
    approval.setSpec(spec);
    return approval;
  }
}
