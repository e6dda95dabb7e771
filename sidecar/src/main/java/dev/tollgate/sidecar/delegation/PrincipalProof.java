package dev.tollgate.sidecar.delegation;

import dev.tollgate.api.SidecarContract.SidecarEnv;
import dev.tollgate.api.delegation.DelegationProof;
import dev.tollgate.api.delegation.PublicKeyRing;
import dev.tollgate.sidecar.core.PodContext;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks, before anything listens, that the principal this decision point was started with is the
 * one the webhook proved when it admitted the pod: a sidecar started with another principal (a
 * hand-written pod, an edited environment) refuses to run instead of acting for someone unproven.
 */
public final class PrincipalProof {

  private PrincipalProof() {}

  /**
   * Why the principal is not proven, or empty when it is (or when the sidecar runs outside a
   * cluster without a proof: a local run trusts its own flags).
   *
   * @param identity the AgentIdentity as {@code namespace/name}
   * @param inCluster whether the sidecar runs in a pod
   * @param publishedKeys reads the data of the keys ConfigMap ({@code namespace/name}); throws when
   *     it cannot
   */
  public static Optional<String> problem(
      PodContext pod,
      String identity,
      DelegationSettings settings,
      boolean inCluster,
      Function<String, Optional<String>> publishedKeys) {
    if (pod.principal().isEmpty()) {
      return Optional.empty();
    }
    String claimed =
        "principal " + pod.principal() + (pod.groups().isEmpty() ? "" : " " + pod.groups());
    if (settings.proof().isEmpty()) {
      return inCluster
          ? Optional.of(
              claimed
                  + " has no "
                  + SidecarEnv.DELEGATION_PROOF
                  + ": in a pod, only the webhook's injection names the principal")
          : Optional.empty();
    }
    String keysText;
    try {
      keysText =
          publishedKeys
              .apply(settings.keysConfigMap())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "ConfigMap " + settings.keysConfigMap() + " has no public keys"));
    } catch (RuntimeException e) {
      return Optional.of(
          claimed + " cannot be verified: reading the webhook's keys failed: " + e.getMessage());
    }
    PublicKeyRing keys;
    try {
      keys = PublicKeyRing.parse(keysText);
    } catch (IllegalArgumentException e) {
      return Optional.of(claimed + " cannot be verified: " + e.getMessage());
    }
    String identityName = identity.substring(identity.indexOf('/') + 1);
    byte[] statement =
        DelegationProof.statement(
            pod.namespace(), "AgentIdentity", identityName, pod.principal(), pod.groups());
    boolean valid =
        DelegationProof.parse(settings.proof())
            .map(proof -> proof.verifies(statement, keys))
            .orElse(false);
    return valid
        ? Optional.empty()
        : Optional.of(
            claimed
                + " is not what the webhook proved for AgentIdentity "
                + identity
                + " in namespace "
                + pod.namespace()
                + " (the proof does not verify with the published keys "
                + keys.keyIds()
                + ")");
  }
}
