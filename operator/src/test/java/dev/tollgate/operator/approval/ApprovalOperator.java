package dev.tollgate.operator.approval;

import dev.tollgate.operator.metrics.OperatorMetrics;
import dev.tollgate.operator.status.StatusWriter;
import dev.tollgate.operator.status.StatusWrites;
import dev.tollgate.operator.status.TransitionEvents;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;

/**
 * The approval reconciler alone on an operator configured as {@code TollgateOperator} configures
 * it, so that a test can choose a retention below the configuration's minimum of 60 s.
 */
final class ApprovalOperator implements AutoCloseable {

  private final Operator operator;
  private final OperatorMetrics metrics = new OperatorMetrics();

  ApprovalOperator(KubernetesClient client, Clock clock, Duration retention) {
    operator =
        new Operator(
            overrider ->
                overrider
                    .withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withMetrics(metrics.reconciles())
                    .checkingCRDAndValidateLocalModel(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false));
    operator.register(
        new ToolCallApprovalReconciler(
            clock,
            retention,
            new TransitionEvents(client, clock, "test"),
            new StatusWriter(StatusWrites.JSON_PATCH_FOR_MOCK_SERVER)));
    operator.start();
  }

  OperatorMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    operator.stop();
  }
}
