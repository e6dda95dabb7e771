package dev.tollgate.operator;

import dev.tollgate.operator.approval.ToolCallApprovalReconciler;
import dev.tollgate.operator.definition.ToolPolicyReconciler;
import dev.tollgate.operator.definition.ToolScopeReconciler;
import dev.tollgate.operator.identity.AgentIdentityReconciler;
import dev.tollgate.operator.identity.IdentityStatusFactory;
import dev.tollgate.operator.metrics.OperatorMetrics;
import dev.tollgate.operator.status.StatusWriter;
import dev.tollgate.operator.status.StatusWrites;
import dev.tollgate.operator.status.TransitionEvents;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Every Tollgate reconciler on one JOSDK operator, configured one way for the cluster and the tests
 * alike, but for how status is written ({@link StatusWrites}: server-side apply on a real API
 * server). Dependents are plain creates and updates, which the Fabric8 mock server used by the
 * operator's own tests also understands.
 */
public final class TollgateOperator implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(TollgateOperator.class.getName());

  private final Operator operator;
  private final AtomicBoolean closing = new AtomicBoolean();

  public TollgateOperator(
      KubernetesClient client, OperatorConfig config, OperatorMetrics metrics, Clock clock) {
    this(client, config, metrics, clock, LeaderElectionSettings.DEFAULT);
  }

  /** With leader election timings of its own (used only when {@code config.leaderElection()}). */
  public TollgateOperator(
      KubernetesClient client,
      OperatorConfig config,
      OperatorMetrics metrics,
      Clock clock,
      LeaderElectionSettings election) {
    this(client, config, metrics, clock, election, StatusWrites.SERVER_SIDE_APPLY);
  }

  public TollgateOperator(
      KubernetesClient client,
      OperatorConfig config,
      OperatorMetrics metrics,
      Clock clock,
      LeaderElectionSettings election,
      StatusWrites statusWrites) {
    operator =
        new Operator(
            overrider -> {
              overrider
                  .withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withMetrics(metrics.reconciles())
                  .withConcurrentReconciliationThreads(config.reconcileThreads())
                  .checkingCRDAndValidateLocalModel(false)
                  .withUseSSAToPatchPrimaryResource(statusWrites == StatusWrites.SERVER_SIDE_APPLY)
                  .withSSABasedCreateUpdateMatchForDependentResources(false);
              if (config.leaderElection()) {
                overrider.withLeaderElectionConfiguration(
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                            config.leaseName())
                        .withLeaseNamespace(config.leaseNamespace())
                        .withIdentity(config.identityName())
                        .withLeaseDuration(election.leaseDuration())
                        .withRenewDeadline(election.renewDeadline())
                        .withRetryPeriod(election.retryPeriod())
                        // JOSDK's own exit on stop leading also fires when close() stops the
                        // elector: from
                        // the JVM's shutdown hook, System.exit then blocks forever and SIGTERM
                        // never ends the
                        // process (seen against a real API server). Exit only on a lease lost while
                        // running.
                        .withExitOnStopLeading(false)
                        .withLeaderCallbacks(
                            new LeaderCallbacks(
                                () -> {}, () -> stoppedLeading(election), leader -> {}))
                        .build());
              }
            });
    TransitionEvents events = new TransitionEvents(client, clock, config.identityName());
    StatusWriter statusWriter = new StatusWriter(statusWrites);
    for (Reconciler<?> reconciler : reconcilers(config, metrics, events, clock, statusWriter)) {
      register(reconciler, config);
    }
  }

  private static List<Reconciler<?>> reconcilers(
      OperatorConfig config,
      OperatorMetrics metrics,
      TransitionEvents events,
      Clock clock,
      StatusWriter statusWriter) {
    return List.of(
        new AgentIdentityReconciler(
            new IdentityStatusFactory(clock), events, metrics, statusWriter),
        new ToolPolicyReconciler(clock, events, statusWriter),
        new ToolScopeReconciler(clock, events, statusWriter),
        new ToolCallApprovalReconciler(clock, config.approvalRetention(), events, statusWriter));
  }

  private <P extends HasMetadata> void register(Reconciler<P> reconciler, OperatorConfig config) {
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
    return operator.getRuntimeInfo().isStarted()
        && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  private void stoppedLeading(LeaderElectionSettings election) {
    if (closing.get() || !election.exitOnStopLeading()) {
      return;
    }
    LOG.severe(
        "lost the leader lease while running; exiting so that this replica restarts as a follower");
    System.exit(1);
  }

  @Override
  public void close() {
    closing.set(true);
    operator.stop();
  }
}
