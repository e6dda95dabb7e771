package dev.tollgate.sidecar.approval;

import dev.tollgate.api.SidecarContract.SidecarEnv;
import dev.tollgate.runtime.config.Settings;
import dev.tollgate.sidecar.kubernetes.KubernetesMode;
import java.time.Duration;
import java.util.Map;

/**
 * Whether approval-required calls create ToolCallApprovals and wait for them; without approvals
 * such calls are denied.
 *
 * @param mode {@code --approvals}: auto uses them when running in a cluster
 * @param lifetime how long an approval stays decidable after it is asked for (at least the
 *     identity's wait): a human who answers after the agent gave up still unlocks one retry
 */
public record ApprovalSettings(KubernetesMode mode, Duration lifetime) {

  public static final Map<String, String> FLAGS =
      Map.of(
          "--approvals", SidecarEnv.APPROVALS,
          "--approval-lifetime-seconds", SidecarEnv.APPROVAL_LIFETIME_SECONDS);

  /**
   * Reads and validates; problems go to {@code settings}, with defaults returned in their place.
   */
  public static ApprovalSettings read(Settings settings) {
    KubernetesMode mode = KubernetesMode.read(settings, SidecarEnv.APPROVALS);
    long lifetime = settings.number(SidecarEnv.APPROVAL_LIFETIME_SECONDS, 3_600, 1, 7 * 86_400);
    return new ApprovalSettings(mode, Duration.ofSeconds(lifetime));
  }
}
