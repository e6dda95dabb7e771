package dev.tollgate.sidecar.policy;

import dev.tollgate.api.SidecarContract.Flags;
import dev.tollgate.api.SidecarContract.SidecarEnv;
import dev.tollgate.engine.source.KubernetesNames;
import dev.tollgate.runtime.config.Settings;
import dev.tollgate.sidecar.kubernetes.KubernetesMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Which bundle is enforced and how it is watched.
 *
 * @param bundle the bundle file (a ConfigMap mount: {@code .../bundle.json})
 * @param expectedIdentity {@code namespace/name} the bundle must be for, or empty to accept any
 * @param reloadInterval how often the bundle file is checked for a new version
 * @param configMapWatch {@code --bundle-watch}: whether the identity's bundle ConfigMap is also
 *     followed through the API (auto: when running in a cluster)
 */
public record PolicySettings(
    Path bundle, String expectedIdentity, Duration reloadInterval, KubernetesMode configMapWatch) {

  public static final Map<String, String> FLAGS =
      Map.of(
          Flags.BUNDLE,
          SidecarEnv.BUNDLE,
          Flags.IDENTITY,
          SidecarEnv.IDENTITY,
          "--reload-interval-ms",
          SidecarEnv.RELOAD_INTERVAL_MS,
          "--bundle-watch",
          SidecarEnv.BUNDLE_WATCH);

  /** Reads and validates; problems go to {@code settings} (the bundle is then null). */
  public static PolicySettings read(Settings settings) {
    Path bundle = settings.find(SidecarEnv.BUNDLE).map(Path::of).orElse(null);
    if (bundle == null) {
      settings.problem(SidecarEnv.BUNDLE, "is required: the bundle file to enforce");
    }
    String identity = settings.get(SidecarEnv.IDENTITY, "");
    if (!identity.isEmpty() && !KubernetesNames.isNamespacedName(identity)) {
      settings.problem(SidecarEnv.IDENTITY, "must be NAMESPACE/NAME, got '" + identity + "'");
    }
    long reloadMs = settings.number(SidecarEnv.RELOAD_INTERVAL_MS, 1_000, 50, 600_000);
    KubernetesMode watch = KubernetesMode.read(settings, SidecarEnv.BUNDLE_WATCH);
    if (watch == KubernetesMode.ON && identity.isEmpty()) {
      settings.problem(
          SidecarEnv.BUNDLE_WATCH,
          "is on, but which ConfigMap to follow comes from "
              + SidecarEnv.IDENTITY
              + ", which is not set");
    }
    return new PolicySettings(bundle, identity, Duration.ofMillis(reloadMs), watch);
  }
}
