package dev.tollgate.webhook.injection;

import java.util.List;

/**
 * How the decision point is injected: image, resources, JVM flags, ports, and whether the cluster
 * runs native sidecars (Kubernetes 1.29+: init containers with {@code restartPolicy: Always}).
 *
 * @param installerCommand runs in the sidecar image and copies the hook client and the Claude Code
 *     managed settings into shared volumes ({@code <command> <bin dir> <settings dir>})
 */
public record InjectionSettings(
    String sidecarImage,
    String imagePullPolicy,
    List<String> installerCommand,
    List<String> jvmOptions,
    String cpuRequest,
    String memoryRequest,
    String cpuLimit,
    String memoryLimit,
    boolean nativeSidecars,
    String agentHome) {

  public InjectionSettings {
    installerCommand = List.copyOf(installerCommand);
    jvmOptions = List.copyOf(jvmOptions);
  }
}
