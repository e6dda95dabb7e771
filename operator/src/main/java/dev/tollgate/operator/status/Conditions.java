package dev.tollgate.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the next list of conditions from the previous one: {@code lastTransitionTime} moves only
 * when a condition's status changes, as Kubernetes API conventions ask.
 *
 * <p>{@code Ready}, {@code Reconciling} and {@code Stalled} follow kstatus (what Flux and other
 * GitOps tools read): Ready True means the current generation is fully reconciled, and then neither
 * of the other two is present; Reconciling True means the operator is still working on it (it
 * retries after an error); Stalled True means it cannot make progress without a human (an invalid
 * spec, or an error after its last retry). Every kind sets them only through the methods here.
 */
public final class Conditions {

  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  /** The reason of Reconciling while a failed reconcile waits for its next retry. */
  public static final String RETRYING = "RetryingAfterError";

  /**
   * The reason of a condition a reconcile that threw leaves behind (JOSDK retries it with backoff).
   */
  public static final String RECONCILE_FAILED = "ReconcileFailed";

  private static final int MAX_MESSAGE = 1_024;

  private final List<Condition> previous;
  private final List<Condition> next = new ArrayList<>();
  private final long generation;
  private final Instant now;

  public Conditions(List<Condition> previous, long generation, Instant now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.now = now.truncatedTo(ChronoUnit.SECONDS);
  }

  public Conditions set(String type, boolean status, String reason, String message) {
    return put(type, status ? "True" : "False", reason, message);
  }

  /**
   * The reconcile threw, and the error says nothing either way about this condition (an object is
   * not invalid because the operator failed on it): Unknown, naming the error.
   */
  public Conditions undetermined(String type, Exception error) {
    return put(type, "Unknown", RECONCILE_FAILED, ReconcileError.message(error));
  }

  /** Fully reconciled: Ready True; Reconciling and Stalled are left out. */
  public Conditions ready(String reason, String message) {
    return put(READY, "True", reason, message);
  }

  /**
   * Blocked until a human changes something: Ready False and Stalled True, both with this reason.
   */
  public Conditions stalled(String reason, String message) {
    put(READY, "False", reason, message);
    return put(STALLED, "True", reason, message);
  }

  /**
   * The reconcile threw. Ready is False and names the error; while JOSDK will retry, Reconciling is
   * True (kstatus: in progress); after the last retry Stalled is True (kstatus: failed).
   */
  public Conditions reconcileFailed(Exception error, boolean willRetry) {
    String message = ReconcileError.message(error);
    put(READY, "False", RECONCILE_FAILED, message);
    return willRetry
        ? put(RECONCILING, "True", RETRYING, message + "; retrying with backoff")
        : put(
            STALLED, "True", RECONCILE_FAILED, message + "; no retries left until the next change");
  }

  /**
   * Carries the previous condition over as it was, when this reconcile learned nothing about it.
   */
  public Conditions keep(String type) {
    find(previous, type).ifPresent(next::add);
    return this;
  }

  private Conditions put(String type, String value, String reason, String message) {
    String since =
        find(previous, type)
            .filter(old -> value.equals(old.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElse(now.toString());
    next.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(value)
            .withReason(reason)
            .withMessage(
                message.length() > MAX_MESSAGE
                    ? message.substring(0, MAX_MESSAGE - 1) + "…"
                    : message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(since)
            .build());
    return this;
  }

  public List<Condition> build() {
    return List.copyOf(next);
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
