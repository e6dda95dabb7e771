package dev.tollgate.sidecar.events;

import dev.tollgate.api.SidecarContract.SidecarEnv;
import dev.tollgate.runtime.config.Settings;
import dev.tollgate.sidecar.kubernetes.KubernetesMode;
import java.util.Map;

/**
 * Whether denials and approvals are published as Kubernetes Events on the agent pod.
 *
 * @param mode {@code --events}: auto publishes when running in a cluster
 * @param podUid the pod's UID (downward API {@code metadata.uid}), which Events name their pod by;
 *     empty when unknown
 */
public record EventSettings(KubernetesMode mode, String podUid) {

  public static final Map<String, String> FLAGS = Map.of("--events", SidecarEnv.EVENTS);

  public EventSettings {
    podUid = podUid == null ? "" : podUid.strip();
  }

  /**
   * Reads and validates; problems go to {@code settings}. The UID has no flag: only the downward
   * API knows it.
   */
  public static EventSettings read(Settings settings, Map<String, String> env) {
    return new EventSettings(
        KubernetesMode.read(settings, SidecarEnv.EVENTS),
        env.getOrDefault(SidecarEnv.POD_UID, env.getOrDefault("POD_UID", "")));
  }
}
