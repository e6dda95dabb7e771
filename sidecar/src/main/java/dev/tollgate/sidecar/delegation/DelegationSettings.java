package dev.tollgate.sidecar.delegation;

import dev.tollgate.api.SidecarContract.SidecarEnv;
import dev.tollgate.api.delegation.DelegationProof;
import dev.tollgate.engine.source.KubernetesNames;
import dev.tollgate.runtime.config.Settings;
import java.util.Map;

/**
 * The webhook's proof of the principal this decision point acts for, and where its public keys are
 * published ({@code namespace/name} of a ConfigMap). Both empty outside an injected pod.
 */
public record DelegationSettings(String proof, String keysConfigMap) {

  public static final Map<String, String> FLAGS =
      Map.of(
          "--delegation-proof", SidecarEnv.DELEGATION_PROOF,
          "--delegation-keys", SidecarEnv.DELEGATION_KEYS);

  /** Reads and validates; problems go to {@code settings}. */
  public static DelegationSettings read(Settings settings) {
    String proof = settings.get(SidecarEnv.DELEGATION_PROOF, "").strip();
    if (!proof.isEmpty() && DelegationProof.parse(proof).isEmpty()) {
      settings.problem(
          SidecarEnv.DELEGATION_PROOF, "is not a delegation proof (v1.<key id>.<signature>)");
    }
    String keys = settings.get(SidecarEnv.DELEGATION_KEYS, "").strip();
    if (!keys.isEmpty() && !KubernetesNames.isNamespacedName(keys)) {
      settings.problem(SidecarEnv.DELEGATION_KEYS, "must be NAMESPACE/NAME, got '" + keys + "'");
    }
    if (!proof.isEmpty() && keys.isEmpty()) {
      settings.problem(
          SidecarEnv.DELEGATION_KEYS, "is required with a delegation proof, to verify it");
    }
    return new DelegationSettings(proof, keys);
  }
}
