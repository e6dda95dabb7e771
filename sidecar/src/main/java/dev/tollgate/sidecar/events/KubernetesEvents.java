package dev.tollgate.sidecar.events;

import dev.tollgate.sidecar.SidecarConfig;
import dev.tollgate.sidecar.SidecarConfig.KubernetesMode;
import dev.tollgate.sidecar.metrics.SidecarMetrics;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.logging.Logger;

/** Chooses, from {@link SidecarConfig#kubernetesEvents()}, whether denials become Kubernetes Events. */
public final class KubernetesEvents {

  /** The pod UID, from the downward API ({@code metadata.uid}); optional. */
  public static final String POD_UID = "TOLLGATE_POD_UID";
  static final String SERVICE_HOST = "KUBERNETES_SERVICE_HOST";
  public static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  // Events are best effort: a slow or absent API server must cost seconds, not the default
  // 10 s timeouts times 10 retries, while the queue behind the worker fills up.
  private static final int CONNECTION_TIMEOUT_MILLIS = 3_000;
  private static final int REQUEST_TIMEOUT_MILLIS = 5_000;
  private static final int RETRIES = 1;

  private static final Logger LOG = Logger.getLogger(KubernetesEvents.class.getName());

  private KubernetesEvents() {}

  /** The publisher to hand to the sidecar: a {@link KubernetesEventPublisher}, or one that does nothing. */
  public static DenialPublisher create(SidecarConfig config, SidecarMetrics metrics) {
    return create(config, metrics, System.getenv(), SERVICE_ACCOUNT_TOKEN);
  }

  static DenialPublisher create(SidecarConfig config, SidecarMetrics metrics, Map<String, String> env, Path token) {
    if (!enabled(config.kubernetesEvents(), env, token)) {
      return DenialPublisher.none();
    }
    String uid = env.getOrDefault(POD_UID, env.getOrDefault("POD_UID", "")).strip();
    PodReference pod = new PodReference(blankToEmpty(config.pod()), blankToEmpty(config.namespace()), uid);
    if (pod.name().isEmpty() || pod.namespace().isEmpty()) {
      LOG.warning("Kubernetes Events are off: the pod name and namespace are unknown (set "
          + SidecarConfig.Env.POD_NAME + " and " + SidecarConfig.Env.POD_NAMESPACE + " from the downward API)");
      return DenialPublisher.none();
    }
    LOG.info("denials are published as Kubernetes Events on pod " + pod.namespace() + "/" + pod.name());
    return new KubernetesEventPublisher(KubernetesEvents::client, pod, Clock.systemUTC(), metrics::eventFailed);
  }

  /** ON; or AUTO inside a cluster: the API server's address and a service account token are there. */
  public static boolean enabled(KubernetesMode mode, Map<String, String> env, Path token) {
    return switch (mode) {
      case ON -> true;
      case OFF -> false;
      case AUTO -> !blankToEmpty(env.get(SERVICE_HOST)).isEmpty() && Files.exists(token);
    };
  }

  /** In a pod: the service account; elsewhere (mode ON): the kubeconfig. */
  private static KubernetesClient client() {
    Config config = new ConfigBuilder(Config.autoConfigure(null))
        .withConnectionTimeout(CONNECTION_TIMEOUT_MILLIS)
        .withRequestTimeout(REQUEST_TIMEOUT_MILLIS)
        .withRequestRetryBackoffLimit(RETRIES)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static String blankToEmpty(String text) {
    return text == null ? "" : text.strip();
  }
}
