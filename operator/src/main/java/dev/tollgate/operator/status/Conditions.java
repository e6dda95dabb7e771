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
 */
public final class Conditions {

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

  /** The reconcile threw before it could establish this condition: False, naming the error. */
  public Conditions failed(String type, Exception error) {
    return put(type, "False", RECONCILE_FAILED, ReconcileError.message(error));
  }

  /**
   * The reconcile threw, and the error says nothing either way about this condition (an object is
   * not invalid because the operator failed on it): Unknown, naming the error.
   */
  public Conditions undetermined(String type, Exception error) {
    return put(type, "Unknown", RECONCILE_FAILED, ReconcileError.message(error));
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
