package dev.tollgate.operator.approval;

import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.api.v1alpha1.ToolCallApprovalStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a finished approval is deleted: {@code retention} after it stopped mattering. An approval is
 * single-use evidence and the audit trail keeps the record, so the object need not outlive that.
 */
public final class ApprovalRetention {

  private final Duration retention;
  private final Clock clock;

  public ApprovalRetention(Duration retention, Clock clock) {
    this.retention = retention;
    this.clock = clock;
  }

  /** Empty while the approval is pending. */
  public Optional<Instant> deleteAt(ToolCallApproval approval, ToolCallApprovalStatus status) {
    Optional<Instant> expiry =
        ExpiresAt.parse(approval.getSpec() == null ? null : approval.getSpec().getExpiresAt())
            .instant();
    return switch (status.getPhase()) {
      case PENDING -> Optional.empty();
      case REJECTED -> Optional.of(decidedAt(status).plus(retention));
      // An approved call may still be retried until the expiry: deleting the approval earlier
      // would take back a human's decision while it is still meant to count.
      case APPROVED ->
          Optional.of(later(decidedAt(status), expiry.orElse(Instant.MIN)).plus(retention));
      // With an unreadable expiry, the object's creation is the only time the API server vouches
      // for.
      case EXPIRED -> Optional.of(expiry.orElseGet(() -> created(approval)).plus(retention));
    };
  }

  private Instant decidedAt(ToolCallApprovalStatus status) {
    return status.getDecidedAt() == null ? clock.instant() : Instant.parse(status.getDecidedAt());
  }

  private Instant created(ToolCallApproval approval) {
    String created = approval.getMetadata().getCreationTimestamp();
    return created == null ? clock.instant() : Instant.parse(created);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
