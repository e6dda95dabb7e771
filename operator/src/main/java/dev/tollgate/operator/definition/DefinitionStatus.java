package dev.tollgate.operator.definition;

import dev.tollgate.engine.source.Problem;
import dev.tollgate.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The status a ToolScope or ToolPolicy carries: {@code Accepted} (the object compiles on its own),
 * {@code Ready} (the operator has checked the current generation and found it valid; an invalid one
 * is also {@code Stalled}, since only an edit helps) and the identities it applies to.
 */
public record DefinitionStatus(
    long observedGeneration, List<Condition> conditions, List<String> identities) {

  public static final String ACCEPTED = "Accepted";
  public static final String READY = Conditions.READY;

  /** Builds the next status, keeping lastTransitionTime when Accepted does not change. */
  public static DefinitionStatus of(
      List<Condition> previous,
      long generation,
      List<Problem> problems,
      List<String> identities,
      Clock clock) {
    Conditions conditions = new Conditions(previous, generation, clock.instant());
    if (problems.isEmpty()) {
      String message =
          identities.isEmpty()
              ? "compiles; applies to no AgentIdentity yet"
              : "compiles; applies to "
                  + identities.size()
                  + " AgentIdentit"
                  + (identities.size() == 1 ? "y" : "ies");
      conditions.set(ACCEPTED, true, "Compiled", message).ready("Compiled", message);
    } else {
      String message =
          problems.stream()
              .map(p -> (p.field().isEmpty() ? "" : p.field() + ": ") + p.message())
              .distinct()
              .collect(Collectors.joining("; "));
      conditions.set(ACCEPTED, false, "Invalid", message).stalled("Invalid", message);
    }
    return new DefinitionStatus(generation, conditions.build(), identities);
  }

  /**
   * The status after a reconcile threw: {@code Accepted} is Unknown (the object is not invalid
   * because the operator failed on it) and names the error, {@code Ready} is False, with {@code
   * Reconciling} while JOSDK will retry and {@code Stalled} after its last retry; the identities
   * are the last known.
   */
  public static DefinitionStatus failed(
      List<Condition> previous,
      long generation,
      List<String> identities,
      Exception error,
      boolean willRetry,
      Clock clock) {
    Conditions conditions =
        new Conditions(previous, generation, clock.instant())
            .undetermined(ACCEPTED, error)
            .reconcileFailed(error, willRetry);
    return new DefinitionStatus(generation, conditions.build(), identities);
  }
}
