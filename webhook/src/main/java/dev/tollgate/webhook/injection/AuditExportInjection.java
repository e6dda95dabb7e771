package dev.tollgate.webhook.injection;

import dev.tollgate.api.SidecarContract.Paths;
import dev.tollgate.runtime.audit.AuditExportSettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cluster-wide audit export (chart values {@code sidecar.auditExport.*}) written into every
 * decision point: its settings as the sidecar's environment, and the Secret holding its request
 * headers mounted in the sidecar alone.
 *
 * @param settings empty: no export, nothing injected
 * @param headersSecret the Secret, in each agent's namespace, whose keys are header names and
 *     values header values; empty for none. Not optional in the pod: a pod whose namespace lacks it
 *     stays pending with an Event naming it, rather than exporting without its credentials.
 */
public record AuditExportInjection(Optional<AuditExportSettings> settings, String headersSecret) {

  public static final AuditExportInjection NONE = new AuditExportInjection(Optional.empty(), "");

  static final String HEADERS_VOLUME = "tollgate-audit-export-headers";

  public AuditExportInjection {
    headersSecret = headersSecret == null ? "" : headersSecret;
  }

  private boolean mountsHeaders() {
    return settings.isPresent() && !headersSecret.isEmpty();
  }

  static boolean isSidecarOnlyVolume(String name) {
    return name.equals(HEADERS_VOLUME);
  }

  void addVolume(List<Volume> volumes) {
    if (mountsHeaders()) {
      SidecarInjection.put(
          volumes,
          Volume::getName,
          new VolumeBuilder()
              .withName(HEADERS_VOLUME)
              .withNewSecret()
              .withSecretName(headersSecret)
              // Root owns a Secret's files; only the sidecar mounts it (the lockdown sees to that).
              .withDefaultMode(0444)
              .endSecret()
              .build());
    }
  }

  void wireSidecar(Container sidecar) {
    if (settings.isEmpty()) {
      return;
    }
    List<EnvVar> env = new ArrayList<>(sidecar.getEnv() == null ? List.of() : sidecar.getEnv());
    settings
        .get()
        .toEnv()
        .forEach(
            (name, value) ->
                SidecarInjection.put(env, EnvVar::getName, SidecarContainers.env(name, value)));
    if (mountsHeaders()) {
      SidecarInjection.put(
          env,
          EnvVar::getName,
          SidecarContainers.env(AuditExportSettings.HEADERS_DIR, Paths.AUDIT_EXPORT_HEADERS_DIR));
      List<VolumeMount> mounts =
          new ArrayList<>(
              sidecar.getVolumeMounts() == null ? List.of() : sidecar.getVolumeMounts());
      mounts.add(SidecarContainers.mount(HEADERS_VOLUME, Paths.AUDIT_EXPORT_HEADERS_DIR, true));
      sidecar.setVolumeMounts(mounts);
    }
    sidecar.setEnv(env);
  }
}
