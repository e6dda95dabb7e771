package dev.tollgate.operator.approval;

import static dev.tollgate.operator.approval.ApprovalStatusFactoryTest.approval;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.v1alpha1.ApprovalDecision;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApprovalRetentionTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final ApprovalStatusFactory factory = new ApprovalStatusFactory(clock);
  private final ApprovalRetention retention = new ApprovalRetention(Duration.ofHours(1), clock);

  @Test
  void aPendingApprovalIsKept() {
    assertThat(deleteAt(approval("2026-11-23T10:05:00Z", null))).isNull();
  }

  @Test
  void aRejectionCountsFromTheDecision() {
    assertThat(deleteAt(approval("2026-11-23T10:05:00Z", ApprovalDecision.REJECTED)))
        .isEqualTo("2026-11-23T11:00:00Z");
  }

  @Test
  void anApprovalCountsFromItsExpiryWhileItMayStillBeUsed() {
    assertThat(deleteAt(approval("2026-11-23T10:05:00Z", ApprovalDecision.APPROVED)))
        .isEqualTo("2026-11-23T11:05:00Z");
    assertThat(deleteAt(approval("2026-11-23T09:05:00Z", ApprovalDecision.APPROVED)))
        .as("decided after the expiry as far as the operator saw: from the decision")
        .isEqualTo("2026-11-23T11:00:00Z");
  }

  @Test
  void anExpiryCountsFromTheExpiryOrWhenUnreadableFromCreation() {
    assertThat(deleteAt(approval("2026-11-23T09:55:00Z", null))).isEqualTo("2026-11-23T10:55:00Z");
    assertThat(deleteAt(approval("soon", null))).isEqualTo("2026-11-23T10:30:00Z");
  }

  private String deleteAt(ToolCallApproval approval) {
    return retention
        .deleteAt(approval, factory.build(approval))
        .map(Instant::toString)
        .orElse(null);
  }
}
