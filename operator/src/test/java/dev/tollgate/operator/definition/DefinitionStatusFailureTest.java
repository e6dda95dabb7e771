package dev.tollgate.operator.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.engine.source.Problem;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A ToolScope's or ToolPolicy's status after a reconcile that threw. */
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
            clockAt("10:05"));

    assertThat(failed.observedGeneration()).isEqualTo(2);
    assertThat(failed.identities()).as("the last known").containsExactly("coder");
    assertThat(failed.conditions())
        .singleElement()
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
  }

  private static Clock clockAt(String time) {
    return Clock.fixed(Instant.parse("2026-11-23T" + time + ":00Z"), ZoneOffset.UTC);
  }
}
