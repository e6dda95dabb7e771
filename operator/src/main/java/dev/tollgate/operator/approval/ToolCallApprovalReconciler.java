package dev.tollgate.operator.approval;

import dev.tollgate.api.v1alpha1.ApprovalPhase;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.api.v1alpha1.ToolCallApprovalStatus;
import dev.tollgate.operator.status.Conditions;
import dev.tollgate.operator.status.StatusComparison;
import dev.tollgate.operator.status.StatusWriter;
import dev.tollgate.operator.status.TransitionEvents;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Keeps a ToolCallApproval's phase and Expired condition true to its decision and expiry, and
 * deletes it once retention after it finished has passed. The reconciler wakes itself at the expiry
 * and at the deletion time, so both happen on time with no change to the object.
 */
@ControllerConfiguration(name = ToolCallApprovalReconciler.NAME)
public class ToolCallApprovalReconciler implements Reconciler<ToolCallApproval> {

  public static final String NAME = "toolcallapproval";

  private static final Duration MAX_DELAY = Duration.ofDays(1);
  private static final Logger LOG = Logger.getLogger(ToolCallApprovalReconciler.class.getName());

  private final Clock clock;
  private final ApprovalStatusFactory statusFactory;
  private final ApprovalRetention retention;
  private final TransitionEvents events;
  private final StatusWriter statusWriter;

  public ToolCallApprovalReconciler(
      Clock clock, Duration retention, TransitionEvents events, StatusWriter statusWriter) {
    this.clock = clock;
    this.statusFactory = new ApprovalStatusFactory(clock);
    this.retention = new ApprovalRetention(retention, clock);
    this.events = events;
    this.statusWriter = statusWriter;
  }

  @Override
  public UpdateControl<ToolCallApproval> reconcile(
      ToolCallApproval approval, Context<ToolCallApproval> context) {
    ToolCallApprovalStatus previous = approval.getStatus();
    ToolCallApprovalStatus status = statusFactory.build(approval);
    Optional<Instant> deleteAt = retention.deleteAt(approval, status);
    Instant now = clock.instant();
    if (deleteAt.isPresent() && !now.isBefore(deleteAt.get())) {
      context
          .getClient()
          .resources(ToolCallApproval.class)
          .inNamespace(approval.getMetadata().getNamespace())
          .withName(approval.getMetadata().getName())
          .delete();
      LOG.info(
          () ->
              "deleted ToolCallApproval "
                  + approval.getMetadata().getNamespace()
                  + "/"
                  + approval.getMetadata().getName()
                  + ": "
                  + status.getPhase()
                  + " and past its retention");
      return UpdateControl.noUpdate();
    }

    UpdateControl<ToolCallApproval> control = UpdateControl.noUpdate();
    if (!StatusComparison.unchanged(previous, status)) {
      // Ready repeats the phase that Expired's transitions already announce: no Events of its own.
      events.publish(
          approval,
          withoutReady(previous == null ? null : previous.getConditions()),
          withoutReady(status.getConditions()));
      control = statusWriter.write(approval, status, ToolCallApproval::new, context);
    }
    // Pending implies a readable expiry: an unreadable one makes the phase Expired.
    Instant wakeUp =
        status.getPhase() == ApprovalPhase.PENDING
            ? ExpiresAt.parse(approval.getSpec().getExpiresAt()).instant().orElseThrow()
            : deleteAt.orElseThrow();
    return control.rescheduleAfter(delayUntil(wakeUp, now));
  }

  private static List<Condition> withoutReady(List<Condition> conditions) {
    return conditions == null
        ? null
        : conditions.stream().filter(c -> !Conditions.READY.equals(c.getType())).toList();
  }

  // Rounded up to the millisecond (JOSDK's unit), so the wake-up never comes just before the time;
  // a far-off time is reached through intermediate wake-ups that recompute it.
  private static Duration delayUntil(Instant wakeUp, Instant now) {
    Duration delay = Duration.between(now, wakeUp);
    if (delay.compareTo(MAX_DELAY) > 0) {
      return MAX_DELAY;
    }
    long nanos = Math.max(0, delay.toNanos());
    return Duration.ofMillis(Math.max(1, (nanos + 999_999) / 1_000_000));
  }
}
