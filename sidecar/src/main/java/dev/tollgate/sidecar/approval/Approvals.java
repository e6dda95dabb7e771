package dev.tollgate.sidecar.approval;

import dev.tollgate.api.SidecarContract.SidecarEnv;
import dev.tollgate.sidecar.core.PodContext;
import dev.tollgate.sidecar.kubernetes.ApiClients;
import dev.tollgate.sidecar.kubernetes.KubernetesMode;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Chooses, from {@link ApprovalSettings#mode()}, whether approval-required calls wait for a human.
 */
public final class Approvals {

  private static final Logger LOG = Logger.getLogger(Approvals.class.getName());
  private static final int INITIAL_SYNC_SECONDS = 5;

  private Approvals() {}

  /** A broker on ToolCallApprovals in the pod's namespace, or empty when approvals are off. */
  public static Optional<ApprovalBroker> create(
      ApprovalSettings settings, PodContext pod, Map<String, String> env, Clock clock) {
    if (!settings.mode().active(env, KubernetesMode.SERVICE_ACCOUNT_TOKEN)) {
      return Optional.empty();
    }
    if (!pod.known()) {
      LOG.warning(
          "approvals are off: the pod name and namespace are unknown (set "
              + SidecarEnv.POD_NAME
              + " and "
              + SidecarEnv.POD_NAMESPACE
              + " from the downward API); calls that need approval are denied");
      return Optional.empty();
    }
    KubernetesApprovalStore store =
        new KubernetesApprovalStore(
            ApiClients.serviceAccount(), pod.namespace(), pod.name(), INITIAL_SYNC_SECONDS);
    LOG.info(
        "calls that need approval create ToolCallApprovals in "
            + pod.namespace()
            + " and wait for a decision");
    return Optional.of(new ApprovalBroker(store, clock, settings.lifetime()));
  }
}
