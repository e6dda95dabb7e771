package dev.tollgate.operator.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tollgate.engine.source.Problem;
import dev.tollgate.engine.source.ProblemCode;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A ToolScope's or ToolPolicy's status: Accepted, and kstatus's Ready, Reconciling and Stalled,
 * when it compiles, when it does not, and after a reconcile that threw.
 */
class DefinitionStatusFailureTest {

  @Test
  void aFailedReconcileLeavesAcceptedUnknownForTheCurrentGeneration() {
    DefinitionStatus compiled =
        DefinitionStatus.of(null, 1, List.<Problem>of(), List.of("coder"), clockAt("10:00"));

    DefinitionStatus failed =
        DefinitionStatus.failed(
            compiled.conditions(),
            2,
            compiled.identities(),
            new IllegalStateException("informer not synced"),
            true,
            clockAt("10:05"));

    assertThat(failed.observedGeneration()).isEqualTo(2);
    assertThat(failed.identities()).as("the last known").containsExactly("coder");
    assertThat(failed.conditions())
        .extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .containsExactly(
            tuple("Accepted", "Unknown", "ReconcileFailed"),
            tuple("Ready", "False", "ReconcileFailed"),
            tuple("Reconciling", "True", "RetryingAfterError"));
    assertThat(failed.conditions())
        .first()
        .satisfies(
            accepted -> {
              assertThat(accepted.getType()).isEqualTo("Accepted");
              assertThat(accepted.getStatus())
                  .as("not invalid: the operator failed on it")
                  .isEqualTo("Unknown");
              assertThat(accepted.getReason()).isEqualTo("ReconcileFailed");
              assertThat(accepted.getMessage())
                  .isEqualTo("reconcile failed: IllegalStateException: informer not synced");
              assertThat(accepted.getObservedGeneration()).isEqualTo(2L);
              assertThat(accepted.getLastTransitionTime()).isEqualTo("2026-11-23T10:05:00Z");
            });

    DefinitionStatus healed =
        DefinitionStatus.of(
            failed.conditions(), 2, List.<Problem>of(), List.of("coder"), clockAt("10:07"));
    assertThat(healed.conditions().get(0).getStatus()).isEqualTo("True");
    assertThat(healed.conditions().get(0).getLastTransitionTime())
        .isEqualTo("2026-11-23T10:07:00Z");
    assertThat(healed.conditions())
        .as("ready again: Reconciling is gone")
        .extracting(Condition::getType, Condition::getStatus)
        .containsExactly(tuple("Accepted", "True"), tuple("Ready", "True"));
  }

  @Test
  void afterTheLastRetryTheObjectIsStalled() {
    DefinitionStatus failed =
        DefinitionStatus.failed(
            null, 3, null, new IllegalStateException("boom"), false, clockAt("10:05"));

    assertThat(failed.conditions())
        .extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .containsExactly(
            tuple("Accepted", "Unknown", "ReconcileFailed"),
            tuple("Ready", "False", "ReconcileFailed"),
            tuple("Stalled", "True", "ReconcileFailed"));
    assertThat(failed.conditions().get(2).getMessage())
        .isEqualTo(
            "reconcile failed: IllegalStateException: boom; no retries left until the next change");
  }

  @Test
  void aValidObjectIsReadyForItsGeneration() {
    DefinitionStatus status =
        DefinitionStatus.of(null, 7, List.<Problem>of(), List.of(), clockAt("10:00"));

    assertThat(status.observedGeneration()).isEqualTo(7);
    assertThat(status.conditions())
        .extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .containsExactly(tuple("Accepted", "True", "Compiled"), tuple("Ready", "True", "Compiled"));
    assertThat(status.conditions())
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(7L));
  }

  @Test
  void anInvalidObjectIsStalledUntilItIsEdited() {
    Problem problem =
        new Problem(
            ProblemCode.INVALID_FIELD,
            "team-a/shell.yaml",
            "ToolPolicy/team-a/shell",
            "spec.rules[0].when",
            "invalid CEL");
    DefinitionStatus ready =
        DefinitionStatus.of(null, 1, List.<Problem>of(), List.of(), clockAt("10:00"));

    DefinitionStatus invalid =
        DefinitionStatus.of(ready.conditions(), 2, List.of(problem), List.of(), clockAt("10:03"));

    assertThat(invalid.conditions())
        .extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .containsExactly(
            tuple("Accepted", "False", "Invalid"),
            tuple("Ready", "False", "Invalid"),
            tuple("Stalled", "True", "Invalid"));
    assertThat(invalid.conditions())
        .allSatisfy(
            c -> {
              assertThat(c.getMessage()).isEqualTo("spec.rules[0].when: invalid CEL");
              assertThat(c.getObservedGeneration()).isEqualTo(2L);
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-23T10:03:00Z");
            });
  }

  private static Clock clockAt(String time) {
    return Clock.fixed(Instant.parse("2026-11-23T" + time + ":00Z"), ZoneOffset.UTC);
  }
}
