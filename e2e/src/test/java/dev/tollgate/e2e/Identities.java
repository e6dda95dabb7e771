package dev.tollgate.e2e;

import dev.tollgate.api.BundleConfigMaps;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.awaitility.Awaitility;

/** Waits on what the operator publishes for an AgentIdentity. */
public final class Identities {

  private Identities() {}

  public static AgentIdentity get(KubernetesClient client, String namespace, String name) {
    return client.resources(AgentIdentity.class).inNamespace(namespace).withName(name).get();
  }

  /** Whether the identity's current generation is Ready, with a published bundle. */
  public static boolean ready(AgentIdentity identity) {
    return identity != null
        && identity.getStatus() != null
        && identity.getStatus().getConditions() != null
        && identity
            .getMetadata()
            .getGeneration()
            .equals(identity.getStatus().getObservedGeneration())
        && identity.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))
        && identity.getStatus().getBundle() != null
        && identity.getStatus().getBundle().getRevision() != null;
  }

  /**
   * Waits until the identity is Ready and the bundle its status names is published; returns the
   * identity.
   */
  public static AgentIdentity awaitReady(KubernetesClient client, String namespace, String name) {
    Awaitility.await("AgentIdentity " + namespace + "/" + name + " Ready")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> ready(get(client, namespace, name)) && bundle(client, namespace, name) != null);
    return get(client, namespace, name);
  }

  public static ConfigMap bundle(KubernetesClient client, String namespace, String identity) {
    return client
        .configMaps()
        .inNamespace(namespace)
        .withName(BundleConfigMaps.nameFor(identity))
        .get();
  }
}
