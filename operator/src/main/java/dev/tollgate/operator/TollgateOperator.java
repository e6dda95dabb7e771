package dev.tollgate.operator;

import dev.tollgate.operator.approval.ToolCallApprovalReconciler;
import dev.tollgate.operator.definition.ToolPolicyReconciler;
import dev.tollgate.operator.definition.ToolScopeReconciler;
import dev.tollgate.operator.identity.AgentIdentityReconciler;
import dev.tollgate.operator.identity.IdentityStatusFactory;
import dev.tollgate.operator.metrics.OperatorMetrics;
import dev.tollgate.operator.status.TransitionEvents;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Clock;
import java.util.List;

/**
 * Every Tollgate reconciler on one JOSDK operator, configured one way for the cluster and the
 * tests alike. Server-side apply stays off: status and dependents are plain patches and updates,
 * which the Fabric8 mock server used by the tests also understands.
 */
public final class TollgateOperator implements AutoCloseable {

  private final Operator operator;

  public TollgateOperator(KubernetesClient client, OperatorConfig config, OperatorMetrics metrics, Clock clock) {
    operator = new Operator(overrider -> {
      overrider
          .withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withMetrics(metrics)
          .withConcurrentReconciliationThreads(config.reconcileThreads())
          .checkingCRDAndValidateLocalModel(false)
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false);
      if (config.leaderElection()) {
        overrider.withLeaderElectionConfiguration(
            new LeaderElectionConfiguration(config.leaseName(), config.leaseNamespace(), config.identityName()));
      }
    });
    TransitionEvents events = new TransitionEvents(client, clock, config.identityName());
    for (Reconciler<?> reconciler : reconcilers(config, metrics, events, clock)) {
      register(reconciler, config);
    }
  }

  private static List<Reconciler<?>> reconcilers(OperatorConfig config, OperatorMetrics metrics, TransitionEvents events,
      Clock clock) {
    return List.of(
        new AgentIdentityReconciler(new IdentityStatusFactory(clock), events, metrics),
        new ToolPolicyReconciler(clock, events),
        new ToolScopeReconciler(clock, events),
        new ToolCallApprovalReconciler(clock, config.approvalRetention(), events));
  }

  private <P extends io.fabric8.kubernetes.api.model.HasMetadata> void register(Reconciler<P> reconciler, OperatorConfig config) {
    if (config.namespaces().isEmpty()) {
      operator.register(reconciler);
    } else {
      operator.register(reconciler, overrider -> overrider.settingNamespaces(config.namespaces()));
    }
  }

  public void start() {
    operator.start();
  }

  /** Started, and every informer is connected (a replica waiting for the lease is not ready). */
  public boolean ready() {
    return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    operator.stop();
  }
}
