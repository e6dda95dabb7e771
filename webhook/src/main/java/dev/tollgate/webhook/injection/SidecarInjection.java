package dev.tollgate.webhook.injection;

import dev.tollgate.api.BundleConfigMaps;
import dev.tollgate.api.SidecarContract;
import dev.tollgate.api.SidecarContract.AgentEnv;
import dev.tollgate.api.SidecarContract.Flags;
import dev.tollgate.api.SidecarContract.Health;
import dev.tollgate.api.SidecarContract.InstallerEnv;
import dev.tollgate.api.SidecarContract.Paths;
import dev.tollgate.api.SidecarContract.Ports;
import dev.tollgate.api.SidecarContract.SidecarEnv;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.AgentRuntime;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
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
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Puts the decision point beside an agent: the sidecar (native when the cluster has native
 * sidecars, a plain container before 1.29), the bundle mounted read-only into the sidecar alone,
 * MCP credentials into the sidecar alone, the hook client and Claude Code's managed settings into
 * the agent containers, and the annotations. Every element is put by name, so injecting an injected
 * pod changes nothing.
 */
public final class SidecarInjection {

  public static final String SIDECAR = "tollgate-sidecar";
  public static final String INSTALLER = "tollgate-install";
  static final String BUNDLE_VOLUME = "tollgate-bundle";
  static final String BIN_VOLUME = "tollgate-bin";
  static final String SETTINGS_VOLUME = "tollgate-claude-code";
  static final String TMP_VOLUME = "tollgate-tmp";
  static final String MCP_VOLUME_PREFIX = "tollgate-mcp-";

  private final InjectionSettings settings;

  public SidecarInjection(InjectionSettings settings) {
    this.settings = settings;
  }

  /** One upstream MCP server credential to mount into the sidecar. */
  public record McpCredential(String server, String secretName, String key) {}

  /** The injected copy of {@code original} (which is left unchanged). */
  public Pod inject(
      Pod original,
      AgentIdentity identity,
      List<McpCredential> credentials,
      List<String> mcpServers,
      Principal principal,
      String requestedBy) {
    Pod pod = Serialization.clone(original);
    String identityKey =
        identity.getMetadata().getNamespace() + "/" + identity.getMetadata().getName();
    boolean claudeCode =
        identity.getSpec().getRuntime() == null
            || identity.getSpec().getRuntime() == AgentRuntime.CLAUDE_CODE;

    Map<String, String> annotations =
        new LinkedHashMap<>(
            pod.getMetadata().getAnnotations() == null
                ? Map.of()
                : pod.getMetadata().getAnnotations());
    annotations.put(PodAnnotations.INJECTED, "true");
    annotations.put(PodAnnotations.IDENTITY, identityKey);
    annotations.put(
        PodAnnotations.BUNDLE_REVISION,
        identity.getStatus() != null
                && identity.getStatus().getBundle() != null
                && identity.getStatus().getBundle().getRevision() != null
            ? identity.getStatus().getBundle().getRevision()
            : "");
    annotations.put(PodAnnotations.REQUESTED_BY, requestedBy);
    if (!principal.isNobody()) {
      annotations.put(PodAnnotations.ON_BEHALF_OF, principal.user());
      annotations.put(PodAnnotations.ON_BEHALF_OF_GROUPS, String.join(",", principal.groups()));
    }
    pod.getMetadata().setAnnotations(annotations);

    PodSpec spec = pod.getSpec();
    List<Volume> volumes =
        new ArrayList<>(spec.getVolumes() == null ? List.of() : spec.getVolumes());
    put(
        volumes,
        Volume::getName,
        new VolumeBuilder()
            .withName(BUNDLE_VOLUME)
            .withNewConfigMap()
            .withName(BundleConfigMaps.nameFor(identity.getMetadata().getName()))
            .addNewItem()
            .withKey(BundleConfigMaps.DATA_KEY)
            .withPath(BundleConfigMaps.DATA_KEY)
            .endItem()
            .withDefaultMode(0444)
            .endConfigMap()
            .build());
    put(
        volumes,
        Volume::getName,
        new VolumeBuilder().withName(BIN_VOLUME).withNewEmptyDir().endEmptyDir().build());
    put(
        volumes,
        Volume::getName,
        new VolumeBuilder()
            .withName(TMP_VOLUME)
            .withNewEmptyDir()
            .withMedium("Memory")
            .withSizeLimit(new Quantity("16Mi"))
            .endEmptyDir()
            .build());
    if (claudeCode) {
      put(
          volumes,
          Volume::getName,
          new VolumeBuilder().withName(SETTINGS_VOLUME).withNewEmptyDir().endEmptyDir().build());
    }
    for (McpCredential credential : credentials) {
      put(
          volumes,
          Volume::getName,
          new VolumeBuilder()
              .withName(MCP_VOLUME_PREFIX + credential.server())
              .withNewSecret()
              .withSecretName(credential.secretName())
              .addNewItem()
              .withKey(credential.key())
              .withPath("token")
              .endItem()
              .withDefaultMode(0400)
              .endSecret()
              .build());
    }
    spec.setVolumes(volumes);

    Container sidecar = sidecar(identity, identityKey, credentials);
    List<Container> initContainers =
        new ArrayList<>(spec.getInitContainers() == null ? List.of() : spec.getInitContainers());
    initContainers.removeIf(c -> c.getName().equals(INSTALLER) || c.getName().equals(SIDECAR));
    List<Container> ours = new ArrayList<>();
    ours.add(installer(identity, claudeCode, mcpServers));
    if (settings.nativeSidecars()) {
      ours.add(sidecar);
    }
    // Ours first: any later init container of the pod already has its decision point.
    initContainers.addAll(0, ours);
    spec.setInitContainers(initContainers);

    List<Container> containers = new ArrayList<>(spec.getContainers());
    containers.removeIf(c -> c.getName().equals(SIDECAR));
    for (Container agent : containers) {
      wireAgent(agent, claudeCode);
    }
    if (!settings.nativeSidecars()) {
      containers.add(0, sidecar);
    }
    spec.setContainers(containers);
    return pod;
  }

  private Container sidecar(
      AgentIdentity identity, String identityKey, List<McpCredential> credentials) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(mount(BUNDLE_VOLUME, Paths.BUNDLE_DIR, true));
    mounts.add(mount(TMP_VOLUME, "/tmp", false));
    for (McpCredential credential : credentials) {
      mounts.add(
          mount(
              MCP_VOLUME_PREFIX + credential.server(),
              Paths.MCP_CREDENTIALS_DIR + "/" + credential.server(),
              true));
    }
    ContainerBuilder builder =
        new ContainerBuilder()
            .withName(SIDECAR)
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
                fieldEnv(
                    SidecarEnv.PRINCIPAL,
                    "metadata.annotations['" + PodAnnotations.ON_BEHALF_OF + "']"),
                fieldEnv(
                    SidecarEnv.GROUPS,
                    "metadata.annotations['" + PodAnnotations.ON_BEHALF_OF_GROUPS + "']"),
                env(SidecarEnv.AGENT_HOME, settings.agentHome()))
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
                    .addToRequests("cpu", new Quantity(settings.cpuRequest()))
                    .addToRequests("memory", new Quantity(settings.memoryRequest()))
                    .addToLimits("cpu", new Quantity(settings.cpuLimit()))
                    .addToLimits("memory", new Quantity(settings.memoryLimit()))
                    .build())
            .withVolumeMounts(mounts);
    if (settings.nativeSidecars()) {
      builder.withRestartPolicy("Always");
    }
    return builder.build();
  }

  private Container installer(AgentIdentity identity, boolean claudeCode, List<String> mcpServers) {
    int timeout =
        identity.getSpec().getApproval() == null
                || identity.getSpec().getApproval().getTimeoutSeconds() == null
            ? 300
            : identity.getSpec().getApproval().getTimeoutSeconds();
    List<String> command = new ArrayList<>(settings.installerCommand());
    command.add("/tollgate/bin");
    List<VolumeMount> mounts = new ArrayList<>(List.of(mount(BIN_VOLUME, "/tollgate/bin", false)));
    List<EnvVar> env = new ArrayList<>();
    if (claudeCode) {
      command.add("/tollgate/claude-code");
      mounts.add(mount(SETTINGS_VOLUME, "/tollgate/claude-code", false));
      env.add(env(InstallerEnv.MANAGED_SETTINGS, ManagedSettings.json(timeout, mcpServers)));
      env.add(env(InstallerEnv.MANAGED_MCP, ManagedMcpConfig.json(mcpServers)));
    }
    return new ContainerBuilder()
        .withName(INSTALLER)
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

  private static void wireAgent(Container agent, boolean claudeCode) {
    List<EnvVar> env = new ArrayList<>(agent.getEnv() == null ? List.of() : agent.getEnv());
    put(env, EnvVar::getName, env(AgentEnv.URL, SidecarContract.decisionUrl()));
    agent.setEnv(env);
    List<VolumeMount> mounts =
        new ArrayList<>(agent.getVolumeMounts() == null ? List.of() : agent.getVolumeMounts());
    put(mounts, VolumeMount::getName, mount(BIN_VOLUME, Paths.BIN_DIR, true));
    if (claudeCode) {
      put(mounts, VolumeMount::getName, mount(SETTINGS_VOLUME, Paths.SETTINGS_DIR, true));
    }
    agent.setVolumeMounts(mounts);
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

  private static SecurityContext hardened() {
    Capabilities none = new Capabilities();
    none.setDrop(List.of("ALL"));
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(65532L)
        .withRunAsGroup(65532L)
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withCapabilities(none)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  private static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(volume)
        .withMountPath(path)
        .withReadOnly(readOnly)
        .build();
  }

  private static EnvVar env(String name, String value) {
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

  /** Replaces the element with the same name, or appends it. */
  private static <T> void put(List<T> list, Function<T, String> name, T element) {
    for (int i = 0; i < list.size(); i++) {
      if (name.apply(list.get(i)).equals(name.apply(element))) {
        list.set(i, element);
        return;
      }
    }
    list.add(element);
  }
}
