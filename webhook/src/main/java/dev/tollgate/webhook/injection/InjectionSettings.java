package dev.tollgate.webhook.injection;

import java.util.List;

/**
 * How the decision point is injected: image, resources, JVM flags, ports, and whether the cluster
 * runs native sidecars (Kubernetes 1.29+: init containers with {@code restartPolicy: Always}).
 *
 * @param installerCommand runs in the sidecar image and copies the hook client and the Claude Code
 *     managed settings into shared volumes ({@code <command> <bin dir> <settings dir>})
 * @param agentHome the agent's home when its container does not set {@code HOME}
 * @param sidecarUser the user and group id of Tollgate's containers, which no agent container may
 *     use
 * @param delegationKeys {@code namespace/name} of the ConfigMap with the webhook's public
 *     delegation keys, which the sidecar verifies its principal against
 * @param egressInitCommand runs in the sidecar image and installs the egress rules in the pod's
 *     network namespace ({@code <command> <sidecar user>})
 * @param egressInit whether identities with egress mode Enforce get the rule installer; false is
 *     the cluster-wide off switch (clusters whose admission refuses NET_ADMIN), which leaves only
 *     the proxy variables
 * @param gitMirrorSizeLimit the size limit of the git gateway's mirror volume (an emptyDir on the
 *     node's disk) in pods of identities with git remotes, as a Kubernetes quantity
 * @param maxCpu the most CPU (request or limit) a pod's annotations may give its decision point
 * @param maxMemory the most memory (request or limit) a pod's annotations may give its decision
 *     point
 * @param auditExport the audit export every sidecar gets ({@code sidecar.auditExport.*})
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
    String agentHome,
    long sidecarUser,
    String delegationKeys,
    List<String> egressInitCommand,
    boolean egressInit,
    String gitMirrorSizeLimit,
    String maxCpu,
    String maxMemory,
    AuditExportInjection auditExport) {

  /** Room for the bare mirrors of a few repositories of ordinary size. */
  public static final String DEFAULT_GIT_MIRROR_SIZE_LIMIT = "2Gi";

  public InjectionSettings {
    installerCommand = List.copyOf(installerCommand);
    jvmOptions = List.copyOf(jvmOptions);
    egressInitCommand = List.copyOf(egressInitCommand);
    auditExport = auditExport == null ? AuditExportInjection.NONE : auditExport;
  }

  /** The decision point's resources when the pod's annotations ask for none. */
  public SidecarResources resources() {
    return new SidecarResources(cpuRequest, memoryRequest, cpuLimit, memoryLimit);
  }

  /**
   * Without the egress rule installer, with the default git mirror size, and with caps equal to the
   * limits (a pod may lower its decision point's resources, not raise them): for callers that
   * inject no egress Enforce identity.
   */
  public InjectionSettings(
      String sidecarImage,
      String imagePullPolicy,
      List<String> installerCommand,
      List<String> jvmOptions,
      String cpuRequest,
      String memoryRequest,
      String cpuLimit,
      String memoryLimit,
      boolean nativeSidecars,
      String agentHome,
      long sidecarUser,
      String delegationKeys) {
    this(
        sidecarImage,
        imagePullPolicy,
        installerCommand,
        jvmOptions,
        cpuRequest,
        memoryRequest,
        cpuLimit,
        memoryLimit,
        nativeSidecars,
        agentHome,
        sidecarUser,
        delegationKeys,
        List.of(),
        false,
        DEFAULT_GIT_MIRROR_SIZE_LIMIT,
        cpuLimit,
        memoryLimit,
        AuditExportInjection.NONE);
  }
}
