package dev.tollgate.sidecar.kubernetes;

import dev.tollgate.runtime.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * When a feature uses the Kubernetes API (events, approvals): always, never, or when running in a
 * cluster. The one place that tells whether the sidecar runs in one.
 */
public enum KubernetesMode {
  AUTO,
  ON,
  OFF;

  /** Set by the kubelet in every container of a pod. */
  static final String SERVICE_HOST = "KUBERNETES_SERVICE_HOST";

  /** The pod's service account token, mounted by the kubelet. */
  public static final Path SERVICE_ACCOUNT_TOKEN =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  /** Reads {@code auto}, {@code on} or {@code off}; a bad value is reported and AUTO returned. */
  public static KubernetesMode read(Settings settings, String variable) {
    return valueOf(
        settings.choice(variable, "auto", List.of("auto", "on", "off")).toUpperCase(Locale.ROOT));
  }

  /** Whether to use the API here: ON; or AUTO inside a cluster. */
  public boolean active() {
    return active(System.getenv(), SERVICE_ACCOUNT_TOKEN);
  }

  /**
   * ON; or AUTO inside a cluster: the API server's address and a service account token are there.
   */
  public boolean active(Map<String, String> env, Path token) {
    return switch (this) {
      case ON -> true;
      case OFF -> false;
      case AUTO -> {
        String host = env.get(SERVICE_HOST);
        yield host != null && !host.isBlank() && Files.exists(token);
      }
    };
  }
}
