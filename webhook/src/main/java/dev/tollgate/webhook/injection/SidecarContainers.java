package dev.tollgate.webhook.injection;

import dev.tollgate.api.BundleConfigMaps;
import dev.tollgate.api.SidecarContract;
import dev.tollgate.api.SidecarContract.Flags;
import dev.tollgate.api.SidecarContract.Health;
import dev.tollgate.api.SidecarContract.InstallerEnv;
import dev.tollgate.api.SidecarContract.Paths;
import dev.tollgate.api.SidecarContract.Ports;
import dev.tollgate.api.SidecarContract.SidecarEnv;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.AgentRuntime;
import dev.tollgate.webhook.delegation.Principal;
import dev.tollgate.webhook.injection.SidecarInjection.McpCredential;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Tollgate's two containers in an agent pod: the installer (copies the hook client and Claude
 * Code's managed settings into shared volumes, then exits) and the decision point. Both run as the
 * dedicated sidecar user, read-only, without capabilities.
 */
final class SidecarContainers {

  /** Seconds a projected token lives; the kubelet renews it at 80%. */
  private static final long TOKEN_SECONDS = 3607;

  private final InjectionSettings settings;

  SidecarContainers(InjectionSettings settings) {
    this.settings = settings;
  }

  /**
   * The decision point. Who it acts for is written into its environment as values, not read from
   * the pod's annotations: a container's environment cannot change after creation, so neither can
   * the principal of a running agent, even when the sidecar restarts.
   */
  Container sidecar(
      String agentHome,
      String identityKey,
      List<McpCredential> credentials,
      Principal principal,
      String proof,
      SidecarResources resources) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(mount(SidecarInjection.TOKEN_VOLUME, Paths.SERVICE_ACCOUNT_DIR, true));
    mounts.add(mount(SidecarInjection.BUNDLE_VOLUME, Paths.BUNDLE_DIR, true));
    mounts.add(mount(SidecarInjection.TMP_VOLUME, "/tmp", false));
    for (McpCredential credential : credentials) {
      mounts.add(
          mount(
              SidecarInjection.MCP_VOLUME_PREFIX + credential.server(),
              Paths.MCP_CREDENTIALS_DIR + "/" + credential.server(),
              true));
    }
    ContainerBuilder builder =
        new ContainerBuilder()
            .withName(SidecarInjection.SIDECAR)
            .withImage(settings.sidecarImage())
            .withImagePullPolicy(settings.imagePullPolicy())
            .withArgs(
                Flags.BUNDLE,
                Paths.BUNDLE_DIR + "/" + BundleConfigMaps.DATA_KEY,
                Flags.LISTEN,
                SidecarContract.decisionListenAddress(),
                Flags.OPS_LISTEN,
                SidecarContract.opsListenAddress(),
                Flags.IDENTITY,
                identityKey)
            .withEnv(
                env("JAVA_TOOL_OPTIONS", String.join(" ", settings.jvmOptions())),
                fieldEnv(SidecarEnv.POD_NAME, "metadata.name"),
                fieldEnv(SidecarEnv.POD_NAMESPACE, "metadata.namespace"),
                fieldEnv(SidecarEnv.POD_UID, "metadata.uid"),
                env(SidecarEnv.PRINCIPAL, principal.user()),
                env(SidecarEnv.GROUPS, String.join(",", principal.groups())),
                env(SidecarEnv.DELEGATION_PROOF, proof),
                env(SidecarEnv.DELEGATION_KEYS, settings.delegationKeys()),
                env(SidecarEnv.AGENT_HOME, agentHome))
            .addNewPort()
            .withName("tollgate-ops")
            .withContainerPort(Ports.OPS)
            .endPort()
            .withStartupProbe(probe(Health.READY, 1, 120))
            .withReadinessProbe(probe(Health.READY, 5, 3))
            .withLivenessProbe(probe(Health.LIVE, 10, 3))
            .withSecurityContext(hardened())
            .withResources(
                new ResourceRequirementsBuilder()
                    .addToRequests("cpu", new Quantity(resources.cpuRequest()))
                    .addToRequests("memory", new Quantity(resources.memoryRequest()))
                    .addToLimits("cpu", new Quantity(resources.cpuLimit()))
                    .addToLimits("memory", new Quantity(resources.memoryLimit()))
                    .build())
            .withVolumeMounts(mounts);
    if (settings.nativeSidecars()) {
      builder.withRestartPolicy("Always");
    }
    return builder.build();
  }

  /** The identity's approval wait, which the hook deadlines are stacked above. */
  static int approvalTimeout(AgentIdentity identity) {
    return identity.getSpec().getApproval() == null
            || identity.getSpec().getApproval().getTimeoutSeconds() == null
        ? 300
        : identity.getSpec().getApproval().getTimeoutSeconds();
  }

  Container installer(AgentIdentity identity, AgentRuntime runtime, List<String> mcpServers) {
    int timeout = approvalTimeout(identity);
    List<String> command = new ArrayList<>(settings.installerCommand());
    command.add("/tollgate/bin");
    List<VolumeMount> mounts =
        new ArrayList<>(List.of(mount(SidecarInjection.BIN_VOLUME, "/tollgate/bin", false)));
    List<EnvVar> env = new ArrayList<>();
    if (runtime == AgentRuntime.CLAUDE_CODE) {
      command.add("/tollgate/claude-code");
      mounts.add(mount(SidecarInjection.SETTINGS_VOLUME, "/tollgate/claude-code", false));
      env.add(env(InstallerEnv.MANAGED_SETTINGS, ManagedSettings.json(timeout, mcpServers)));
      env.add(env(InstallerEnv.MANAGED_MCP, ManagedMcpConfig.json(mcpServers)));
    } else if (runtime == AgentRuntime.CODEX) {
      command.add("/tollgate/codex");
      mounts.add(mount(SidecarInjection.CODEX_VOLUME, "/tollgate/codex", false));
      env.add(env(InstallerEnv.CODEX_CONFIG, CodexManagedConfig.configToml(timeout, mcpServers)));
      env.add(
          env(InstallerEnv.CODEX_REQUIREMENTS, CodexManagedConfig.requirementsToml(mcpServers)));
    }
    return new ContainerBuilder()
        .withName(SidecarInjection.INSTALLER)
        .withImage(settings.sidecarImage())
        .withImagePullPolicy(settings.imagePullPolicy())
        .withCommand(command)
        .withEnv(env)
        .withSecurityContext(hardened())
        .withResources(
            new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("10m"))
                .addToRequests("memory", new Quantity("32Mi"))
                .addToLimits("memory", new Quantity("96Mi"))
                .build())
        .withVolumeMounts(mounts)
        .build();
  }

  private static Probe probe(String path, int period, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(Ports.OPS))
        .endHttpGet()
        .withPeriodSeconds(period)
        .withFailureThreshold(failureThreshold)
        .withTimeoutSeconds(1)
        .build();
  }

  private SecurityContext hardened() {
    Capabilities none = new Capabilities();
    none.setDrop(List.of("ALL"));
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(settings.sidecarUser())
        .withRunAsGroup(settings.sidecarUser())
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withCapabilities(none)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /**
   * The pod's service-account token for the decision point alone, where in-cluster clients look for
   * it: automounting is off for the pod, so no other container gets one.
   */
  static Volume tokenVolume() {
    return new VolumeBuilder()
        .withName(SidecarInjection.TOKEN_VOLUME)
        .withNewProjected()
        .withDefaultMode(0444)
        .addNewSource()
        .withNewServiceAccountToken()
        .withPath("token")
        .withExpirationSeconds(TOKEN_SECONDS)
        .endServiceAccountToken()
        .endSource()
        .addNewSource()
        .withNewConfigMap()
        .withName("kube-root-ca.crt")
        .addNewItem()
        .withKey("ca.crt")
        .withPath("ca.crt")
        .endItem()
        .endConfigMap()
        .endSource()
        .addNewSource()
        .withNewDownwardAPI()
        .addNewItem()
        .withPath("namespace")
        .withNewFieldRef()
        .withFieldPath("metadata.namespace")
        .endFieldRef()
        .endItem()
        .endDownwardAPI()
        .endSource()
        .endProjected()
        .build();
  }

  static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(volume)
        .withMountPath(path)
        .withReadOnly(readOnly)
        .build();
  }

  static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar fieldEnv(String name, String fieldPath) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath(fieldPath)
        .endFieldRef()
        .endValueFrom()
        .build();
  }
}
