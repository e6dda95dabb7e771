package dev.tollgate.operator.approval;

import dev.tollgate.api.v1alpha1.ApprovalDecision;
import dev.tollgate.api.v1alpha1.ApprovalPhase;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.api.v1alpha1.ToolCallApprovalSpec;
import dev.tollgate.api.v1alpha1.ToolCallApprovalStatus;
import dev.tollgate.operator.status.Conditions;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * An approval's status at this moment. The phase follows the decision, or the expiry when there is
 * none; an expiry that cannot be read counts as passed, so such an approval allows nothing. Expired
 * is terminal: a decision first seen after the operator marked the approval Expired is recorded
 * ({@code decidedAt}) but does not revive it, since nothing shows it came in time.
 *
 * <p>{@code Ready} is True once the status describes the current spec, whatever the phase (a
 * pending approval waits for a person, not for the operator), with the phase as its reason; an
 * unreadable expiry makes it False and {@code Stalled}, since only an edit can fix it.
 */
public final class ApprovalStatusFactory {

  public static final String EXPIRED = "Expired";

  private final Clock clock;

  public ApprovalStatusFactory(Clock clock) {
    this.clock = clock;
  }

  public ToolCallApprovalStatus build(ToolCallApproval approval) {
    Instant now = clock.instant();
    ToolCallApprovalSpec spec =
        approval.getSpec() == null ? new ToolCallApprovalSpec() : approval.getSpec();
    ToolCallApprovalStatus previous =
        approval.getStatus() == null ? new ToolCallApprovalStatus() : approval.getStatus();
    long generation =
        approval.getMetadata().getGeneration() == null ? 0 : approval.getMetadata().getGeneration();
    Conditions conditions = new Conditions(previous.getConditions(), generation, now);
    ExpiresAt expiry = ExpiresAt.parse(spec.getExpiresAt());
    ApprovalDecision decision = spec.getDecision();

    ApprovalPhase phase;
    if (expiry.instant().isEmpty()) {
      phase = ApprovalPhase.EXPIRED;
      conditions.set(EXPIRED, true, "InvalidExpiry", invalidExpiry(expiry));
      conditions.stalled("InvalidExpiry", invalidExpiry(expiry));
    } else if (previous.getPhase() == ApprovalPhase.EXPIRED
        || (decision == null && !now.isBefore(expiry.instant().get()))) {
      phase = ApprovalPhase.EXPIRED;
      conditions.set(
          EXPIRED,
          true,
          "TimedOut",
          "no decision before the expiry at " + expiry.raw() + "; the approval allows nothing");
    } else if (decision != null) {
      phase =
          decision == ApprovalDecision.APPROVED ? ApprovalPhase.APPROVED : ApprovalPhase.REJECTED;
      conditions.set(EXPIRED, false, "Decided", decided(spec, expiry));
    } else {
      phase = ApprovalPhase.PENDING;
      conditions.set(EXPIRED, false, "Pending", "expires at " + expiry.raw());
    }

    if (expiry.instant().isPresent()) {
      conditions.ready(readyReason(phase), readyMessage(phase));
    }

    ToolCallApprovalStatus status = new ToolCallApprovalStatus();
    status.setObservedGeneration(generation);
    status.setConditions(conditions.build());
    status.setPhase(phase);
    status.setDecidedAt(decision == null ? null : decidedAt(previous.getDecidedAt(), now));
    return status;
  }

  // The first observation stands: a later reconcile must not move the decision's time.
  private static String decidedAt(String previous, Instant now) {
    if (previous != null) {
      try {
        Instant.parse(previous);
        return previous;
      } catch (DateTimeParseException e) {
        // Not a time we wrote: observe the decision anew.
      }
    }
    return now.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String readyReason(ApprovalPhase phase) {
    return switch (phase) {
      case PENDING -> "Pending";
      case APPROVED -> "Approved";
      case REJECTED -> "Rejected";
      case EXPIRED -> "Expired";
    };
  }

  private static String readyMessage(ApprovalPhase phase) {
    return switch (phase) {
      case PENDING -> "waiting for a decision";
      case APPROVED -> "approved; the call may run once";
      case REJECTED -> "rejected";
      case EXPIRED -> "expired; the approval allows nothing";
    };
  }

  private static String invalidExpiry(ExpiresAt expiry) {
    String what =
        expiry.raw() == null || expiry.raw().isBlank()
            ? "spec.expiresAt is missing"
            : "spec.expiresAt \"" + expiry.raw() + "\" is not an RFC 3339 date-time";
    return what + "; treated as expired, so the approval allows nothing";
  }

  private static String decided(ToolCallApprovalSpec spec, ExpiresAt expiry) {
    String by =
        spec.getDecidedBy() == null || spec.getDecidedBy().isBlank()
            ? ""
            : " by " + spec.getDecidedBy();
    return spec.getDecision() == ApprovalDecision.APPROVED
        ? "Approved" + by + "; the approval allows the call once, until " + expiry.raw()
        : "Rejected" + by;
  }
}
