package dev.tollgate.sidecar.events;

import dev.tollgate.api.SidecarContract.SidecarEnv;
import dev.tollgate.sidecar.core.PodContext;
import dev.tollgate.sidecar.kubernetes.KubernetesMode;
import dev.tollgate.sidecar.metrics.SidecarMetrics;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.logging.Logger;

/** Chooses, from {@link EventSettings#mode()}, whether denials become Kubernetes Events. */
public final class KubernetesEvents {

  // Events are best effort: a slow or absent API server must cost seconds, not the default
  // 10 s timeouts times 10 retries, while the queue behind the worker fills up.
  private static final int CONNECTION_TIMEOUT_MILLIS = 3_000;
  private static final int REQUEST_TIMEOUT_MILLIS = 5_000;
  private static final int RETRIES = 1;

  private static final Logger LOG = Logger.getLogger(KubernetesEvents.class.getName());

  private KubernetesEvents() {}

  /**
   * The publisher to hand to the sidecar: a {@link KubernetesEventPublisher}, or one that does
   * nothing.
   */
  public static DenialPublisher create(
      EventSettings settings, PodContext pod, SidecarMetrics metrics) {
    return create(settings, pod, metrics, System.getenv(), KubernetesMode.SERVICE_ACCOUNT_TOKEN);
  }

  static DenialPublisher create(
      EventSettings settings,
      PodContext pod,
      SidecarMetrics metrics,
      Map<String, String> env,
      Path token) {
    if (!settings.mode().active(env, token)) {
      return DenialPublisher.none();
    }
    PodReference reference =
        new PodReference(pod.name().strip(), pod.namespace().strip(), settings.podUid());
    if (reference.name().isEmpty() || reference.namespace().isEmpty()) {
      LOG.warning(
          "Kubernetes Events are off: the pod name and namespace are unknown (set "
              + SidecarEnv.POD_NAME
              + " and "
              + SidecarEnv.POD_NAMESPACE
              + " from the downward API)");
      return DenialPublisher.none();
    }
    LOG.info(
        "denials are published as Kubernetes Events on pod "
            + reference.namespace()
            + "/"
            + reference.name());
    return new KubernetesEventPublisher(
        KubernetesEvents::client, reference, Clock.systemUTC(), metrics::eventFailed);
  }

  /** In a pod: the service account; elsewhere (mode ON): the kubeconfig. */
  private static KubernetesClient client() {
    Config config =
        new ConfigBuilder(Config.autoConfigure(null))
            .withConnectionTimeout(CONNECTION_TIMEOUT_MILLIS)
            .withRequestTimeout(REQUEST_TIMEOUT_MILLIS)
            .withRequestRetryBackoffLimit(RETRIES)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
