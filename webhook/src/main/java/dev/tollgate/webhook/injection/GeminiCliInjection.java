package dev.tollgate.webhook.injection;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;

/**
 * How Gemini CLI's system settings ({@link GeminiCliSettings}) reach the agent container. Gemini
 * CLI reads that file only if the file and every directory above it are owned by root and writable
 * by no one else, and otherwise skips it (the hook would then be gone). The installer runs as the
 * non-root sidecar user, and an emptyDir is world-writable, so neither can hold it. A downward-API
 * volume can: the kubelet writes its files as root, here with mode 0444, from the pod annotation
 * the webhook wrote (which no one may change after admission, see PodUpdateGuard). The file is
 * mounted alone (subPath), so the directory above it is the image's {@code /etc/gemini-cli} (or one
 * the runtime creates, as root), not the volume's world-writable root.
 */
final class GeminiCliInjection {

  static final String FILE = "settings.json";

  private GeminiCliInjection() {}

  static Volume volume(String name) {
    return new VolumeBuilder()
        .withName(name)
        .withNewDownwardAPI()
        .withDefaultMode(0444)
        .addNewItem()
        .withPath(FILE)
        .withNewFieldRef()
        .withFieldPath("metadata.annotations['" + PodAnnotations.GEMINI_CLI_SETTINGS + "']")
        .endFieldRef()
        .endItem()
        .endDownwardAPI()
        .build();
  }

  static VolumeMount mount(String volume) {
    return new VolumeMountBuilder()
        .withName(volume)
        .withMountPath(GeminiCliSettings.PATH)
        .withSubPath(FILE)
        .withReadOnly(true)
        .build();
  }

  /**
   * Pinned in the agent containers: {@code GEMINI_CLI_SYSTEM_SETTINGS_PATH} of the agent's own
   * would point Gemini CLI at a settings file it wrote; {@code GEMINI_CLI_TRUST_WORKSPACE=false} or
   * {@code GEMINI_RESTRICTED_MODE=true} would make every folder untrusted, and Gemini CLI runs no
   * settings hooks in an untrusted folder (interactive sessions then run every tool unhooked). The
   * system settings trust every folder anyway (folder trust off).
   */
  static List<EnvVar> env() {
    return List.of(
        SidecarContainers.env(GeminiCliSettings.PATH_ENV, GeminiCliSettings.PATH),
        SidecarContainers.env("GEMINI_CLI_TRUST_WORKSPACE", "true"),
        SidecarContainers.env("GEMINI_RESTRICTED_MODE", "false"));
  }
}
