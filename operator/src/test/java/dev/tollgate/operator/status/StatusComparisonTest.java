package dev.tollgate.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.v1alpha1.ToolScopeStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Another writer's condition does not make the operator apply again, while every change to what the
 * operator writes does.
 */
class StatusComparisonTest {

  private static Condition condition(String type, String status) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason("Because")
        .withMessage("m")
        .withLastTransitionTime("2026-12-03T05:00:00Z")
        .withObservedGeneration(3L)
        .build();
  }

  private static ToolScopeStatus status(long generation, Condition... conditions) {
    ToolScopeStatus status = new ToolScopeStatus();
    status.setObservedGeneration(generation);
    status.setConditions(new ArrayList<>(List.of(conditions)));
    return status;
  }

  @Test
  void anotherWritersConditionIsNotAChange() {
    ToolScopeStatus computed = status(3, condition("Accepted", "True"), condition("Ready", "True"));
    ToolScopeStatus stored =
        status(
            3,
            condition("Audited", "True"),
            condition("Ready", "True"),
            condition("Accepted", "True"));

    assertThat(StatusComparison.unchanged(stored, computed)).isTrue();
    assertThat(stored.getConditions()).as("the stored status is not touched").hasSize(3);
  }

  @Test
  void everyChangeToWhatTheOperatorWritesIsOne() {
    ToolScopeStatus computed = status(3, condition("Accepted", "True"), condition("Ready", "True"));

    assertThat(StatusComparison.unchanged(null, computed)).isFalse();
    assertThat(
            StatusComparison.unchanged(
                status(2, computed.getConditions().toArray(Condition[]::new)), computed))
        .as("another observed generation")
        .isFalse();
    assertThat(
            StatusComparison.unchanged(
                status(3, condition("Accepted", "True"), condition("Ready", "False")), computed))
        .as("another status of an own condition")
        .isFalse();
    assertThat(StatusComparison.unchanged(status(3, condition("Accepted", "True")), computed))
        .as("an own condition missing")
        .isFalse();
    // Stalled and Reconciling are the operator's even when it leaves them out: they must go.
    assertThat(
            StatusComparison.unchanged(
                status(
                    3,
                    condition("Accepted", "True"),
                    condition("Ready", "True"),
                    condition("Stalled", "True")),
                computed))
        .isFalse();
    assertThat(
            StatusComparison.unchanged(
                status(
                    3,
                    condition("Accepted", "True"),
                    condition("Ready", "True"),
                    condition("Reconciling", "True")),
                computed))
        .isFalse();
  }
}
