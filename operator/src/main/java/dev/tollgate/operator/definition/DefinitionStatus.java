package dev.tollgate.operator.definition;

import dev.tollgate.engine.source.Problem;
import dev.tollgate.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The status a ToolScope or ToolPolicy carries: {@code Accepted} (the object compiles on its own)
 * and the identities it applies to.
 */
public record DefinitionStatus(
    long observedGeneration, List<Condition> conditions, List<String> identities) {

  public static final String ACCEPTED = "Accepted";

  /** Builds the next status, keeping lastTransitionTime when Accepted does not change. */
  public static DefinitionStatus of(
      List<Condition> previous,
      long generation,
      List<Problem> problems,
      List<String> identities,
      Clock clock) {
    Conditions conditions = new Conditions(previous, generation, clock.instant());
    if (problems.isEmpty()) {
      conditions.set(
          ACCEPTED,
          true,
          "Compiled",
          identities.isEmpty()
              ? "compiles; applies to no AgentIdentity yet"
              : "compiles; applies to "
                  + identities.size()
                  + " AgentIdentit"
                  + (identities.size() == 1 ? "y" : "ies"));
    } else {
      conditions.set(
          ACCEPTED,
          false,
          "Invalid",
          problems.stream()
              .map(p -> (p.field().isEmpty() ? "" : p.field() + ": ") + p.message())
              .distinct()
              .collect(Collectors.joining("; ")));
    }
    return new DefinitionStatus(generation, conditions.build(), identities);
  }

  /**
   * The status after a reconcile threw: {@code Accepted} is Unknown (the object is not invalid
   * because the operator failed on it) and names the error; the identities are the last known.
   */
  public static DefinitionStatus failed(
      List<Condition> previous,
      long generation,
      List<String> identities,
      Exception error,
      Clock clock) {
    Conditions conditions =
        new Conditions(previous, generation, clock.instant()).undetermined(ACCEPTED, error);
    return new DefinitionStatus(generation, conditions.build(), identities);
  }
}
