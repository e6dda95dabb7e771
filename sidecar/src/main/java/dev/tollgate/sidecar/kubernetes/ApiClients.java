package dev.tollgate.sidecar.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The client the sidecar reads and watches the API with (approvals, its bundle ConfigMap, the
 * delegation keys): the pod's service account in a cluster, the kubeconfig elsewhere, and no
 * request waiting longer than ten seconds. Events have a client of their own, with retries.
 */
public final class ApiClients {

  private static final int REQUEST_TIMEOUT_MILLIS = 10_000;

  private ApiClients() {}

  public static KubernetesClient serviceAccount() {
    Config config =
        new ConfigBuilder(Config.autoConfigure(null))
            .withRequestTimeout(REQUEST_TIMEOUT_MILLIS)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
