package dev.tollgate.sidecar.policy;

import dev.tollgate.api.SidecarContract.Flags;
import dev.tollgate.api.SidecarContract.SidecarEnv;
import dev.tollgate.engine.source.KubernetesNames;
import dev.tollgate.runtime.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Which bundle is enforced and how it is watched.
 *
 * @param bundle the bundle file (a ConfigMap mount: {@code .../bundle.json})
 * @param expectedIdentity {@code namespace/name} the bundle must be for, or empty to accept any
 * @param reloadInterval how often the bundle file is checked for a new version
 */
public record PolicySettings(Path bundle, String expectedIdentity, Duration reloadInterval) {

  public static final Map<String, String> FLAGS =
      Map.of(
          Flags.BUNDLE,
          SidecarEnv.BUNDLE,
          Flags.IDENTITY,
          SidecarEnv.IDENTITY,
          "--reload-interval-ms",
          SidecarEnv.RELOAD_INTERVAL_MS);

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
    return new PolicySettings(bundle, identity, Duration.ofMillis(reloadMs));
  }
}
