package dev.tollgate.sidecar.approval;

import dev.tollgate.sidecar.SidecarConfig;
import dev.tollgate.sidecar.events.KubernetesEvents;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/** Chooses, from {@link SidecarConfig#approvals()}, whether approval-required calls wait for a human. */
public final class Approvals {

  private static final Logger LOG = Logger.getLogger(Approvals.class.getName());
  private static final int INITIAL_SYNC_SECONDS = 5;

  private Approvals() {}

  /** A broker on ToolCallApprovals in the pod's namespace, or empty when approvals are off. */
  public static Optional<ApprovalBroker> create(SidecarConfig config, Map<String, String> env, Clock clock) {
    if (!KubernetesEvents.enabled(config.approvals(), env, KubernetesEvents.SERVICE_ACCOUNT_TOKEN)) {
      return Optional.empty();
    }
    if (config.pod().isBlank() || config.namespace().isBlank()) {
      LOG.warning("approvals are off: the pod name and namespace are unknown (set " + SidecarConfig.Env.POD_NAME
          + " and " + SidecarConfig.Env.POD_NAMESPACE + " from the downward API); calls that need approval are denied");
      return Optional.empty();
    }
    Config client = new ConfigBuilder(Config.autoConfigure(null)).withRequestTimeout(10_000).build();
    KubernetesApprovalStore store = new KubernetesApprovalStore(new KubernetesClientBuilder().withConfig(client).build(),
        config.namespace(), config.pod(), INITIAL_SYNC_SECONDS);
    LOG.info("calls that need approval create ToolCallApprovals in " + config.namespace() + " and wait for a decision");
    return Optional.of(new ApprovalBroker(store, clock, config.approvalLifetime()));
  }
}
