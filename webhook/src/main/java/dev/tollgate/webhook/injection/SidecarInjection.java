package dev.tollgate.webhook.injection;

import dev.tollgate.api.BundleConfigMaps;
import dev.tollgate.api.SidecarContract;
import dev.tollgate.api.SidecarContract.AgentEnv;
import dev.tollgate.api.SidecarContract.Paths;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.AgentRuntime;
import dev.tollgate.api.v1alpha1.EgressMode;
import dev.tollgate.webhook.delegation.Principal;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Puts the decision point beside an agent: the sidecar (native when the cluster has native
 * sidecars, a plain container before 1.29), the bundle mounted read-only into the sidecar alone,
 * MCP and git credentials into the sidecar alone, the hook client, Claude Code's managed settings
 * and the git rewrite into the agent containers, and the annotations. Every element is put by name,
 * so injecting an injected pod changes nothing.
 */
public final class SidecarInjection {

  public static final String SIDECAR = "tollgate-sidecar";
  public static final String INSTALLER = "tollgate-install";
  static final String BUNDLE_VOLUME = "tollgate-bundle";
  static final String BIN_VOLUME = "tollgate-bin";
  static final String SETTINGS_VOLUME = "tollgate-claude-code";

  /** Codex's system configuration ({@code /etc/codex}), for runtime Codex. */
  static final String CODEX_VOLUME = "tollgate-codex";

  /**
   * Gemini CLI's system settings, projected root-owned from a pod annotation (runtime GeminiCli).
   */
  static final String GEMINI_VOLUME = "tollgate-gemini-cli";

  static final String TMP_VOLUME = "tollgate-tmp";
  static final String MCP_VOLUME_PREFIX = "tollgate-mcp-";
  static final String TOKEN_VOLUME = "tollgate-token";

  /** Every volume Tollgate adds is named with this prefix. */
  static final String VOLUME_PREFIX = "tollgate-";

  private final InjectionSettings settings;
  private final SidecarContainers containers;
  private final AgentLockdown lockdown;
  private final EgressInjection egress;

  public SidecarInjection(InjectionSettings settings) {
    this.settings = settings;
    this.containers = new SidecarContainers(settings);
    this.lockdown = new AgentLockdown(settings.sidecarUser());
    this.egress = new EgressInjection(settings);
  }

  /**
   * Why the pod cannot become an agent pod: its containers' users, privileges or tokens, or
   * annotations for its decision point that are not allowed or not well-formed.
   */
  public Optional<String> refusal(Pod pod) {
    return lockdown.refusal(pod).or(() -> resourcesFor(pod).refusal());
  }

  private SidecarResources.Resolution resourcesFor(Pod pod) {
    return settings
        .resources()
        .forPod(pod.getMetadata().getAnnotations(), settings.maxCpu(), settings.maxMemory());
  }

  /** Why the identity's pods cannot be injected as it says (an invalid audit export). */
  public Optional<String> refusal(AgentIdentity identity) {
    return settings.auditExport().refusalFor(identity);
  }

  /**
   * What kubectl tells whoever creates the pod: egress Enforce without the rule installer (switched
   * off cluster-wide) holds nothing.
   */
  public List<String> warnings(AgentIdentity identity) {
    EgressMode mode = identity.getSpec().egressModeOrDefault();
    if (mode == EgressMode.ENFORCE && !egress.installsRules(mode)) {
      return List.of(
          "AgentIdentity "
              + identity.getMetadata().getName()
              + " has egress mode Enforce, but the egress rule installer is switched off for this"
              + " cluster (webhook --egress-init false): the proxy variables are advisory, and a"
              + " tool that ignores them reaches the network unseen");
    }
    return List.of();
  }

  /**
   * Volumes only the decision point may mount: credentials, the bundle, its token, its /tmp, the
   * git mirrors.
   */
  static boolean isSidecarOnlyVolume(String name) {
    return name.equals(BUNDLE_VOLUME)
        || name.equals(TMP_VOLUME)
        || name.equals(TOKEN_VOLUME)
        || name.equals(EgressInjection.TMP_VOLUME)
        || name.startsWith(MCP_VOLUME_PREFIX)
        || GitInjection.isSidecarOnlyVolume(name)
        || AuditExportInjection.isSidecarOnlyVolume(name);
  }

  /**
   * Containers the lockdown leaves alone because {@link #inject} replaces whatever the pod put
   * under these names, in either list, with its own.
   */
  static boolean isTollgateContainer(String name) {
    return name.equals(SIDECAR) || name.equals(INSTALLER) || name.equals(EgressInjection.INIT);
  }

  /** One upstream MCP server credential to mount into the sidecar. */
  public record McpCredential(String server, String secretName, String key) {}

  /** The injected copy of {@code original} (which is left unchanged). */
  public Pod inject(
      Pod original,
      AgentIdentity identity,
      List<McpCredential> credentials,
      List<String> mcpServers,
      List<GitInjection.Remote> gitRemotes,
      Principal principal,
      String principalProof,
      String requestedBy) {
    SidecarResources.Resolution resolution = resourcesFor(original);
    if (resolution.refusal().isPresent()) {
      // refusal(pod) is asked first; a caller that skipped it gets no pod rather than defaults.
      throw new IllegalArgumentException(resolution.refusal().get());
    }
    Pod pod = Serialization.clone(original);
    lockdown.apply(pod);
    String home = agentHome(pod);
    String identityKey =
        identity.getMetadata().getNamespace() + "/" + identity.getMetadata().getName();
    AgentRuntime runtime = identity.getSpec().runtimeOrDefault();
    EgressMode egressMode = identity.getSpec().egressModeOrDefault();
    boolean egressRules = egress.installsRules(egressMode);

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
    if (runtime == AgentRuntime.GEMINI_CLI) {
      annotations.put(
          PodAnnotations.GEMINI_CLI_SETTINGS,
          GeminiCliSettings.json(SidecarContainers.approvalTimeout(identity), mcpServers));
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
    String wiringVolume = wiringVolume(runtime);
    if (wiringVolume != null) {
      put(
          volumes,
          Volume::getName,
          new VolumeBuilder().withName(wiringVolume).withNewEmptyDir().endEmptyDir().build());
    }
    if (runtime == AgentRuntime.GEMINI_CLI) {
      put(volumes, Volume::getName, GeminiCliInjection.volume(GEMINI_VOLUME));
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
              // Secret files belong to root: 0400 would keep out the sidecar's own non-root user.
              // Only the sidecar mounts this volume (the lockdown refuses it to every other
              // container), so readable by all means readable by the sidecar.
              .withDefaultMode(0444)
              .endSecret()
              .build());
    }
    GitInjection.addVolumes(volumes, gitRemotes, settings.gitMirrorSizeLimit());
    put(volumes, Volume::getName, SidecarContainers.tokenVolume());
    volumes.removeIf(v -> v.getName().equals(EgressInjection.TMP_VOLUME));
    if (egressRules) {
      volumes.add(EgressInjection.tmpVolume());
    }
    spec.setVolumes(volumes);

    Container sidecar =
        containers.sidecar(
            home,
            identityKey,
            credentials,
            principal,
            principalProof,
            resolution.resources().orElseThrow());
    if (egressMode != EgressMode.OFF) {
      EgressInjection.listen(sidecar, egressMode);
    }
    GitInjection.wireSidecar(sidecar, gitRemotes);
    settings.auditExport().forIdentity(identity).wire(volumes, sidecar);
    List<Container> initContainers =
        new ArrayList<>(spec.getInitContainers() == null ? List.of() : spec.getInitContainers());
    initContainers.removeIf(c -> isTollgateContainer(c.getName()));
    if (egressMode != EgressMode.OFF) {
      initContainers.forEach(EgressInjection::wire);
    }
    if (!gitRemotes.isEmpty()) {
      initContainers.forEach(GitInjection::wireAgent);
    }
    List<Container> ours = new ArrayList<>();
    if (egressRules) {
      // Before everything, the decision point included: no container of the pod runs unruled.
      ours.add(egress.initContainer());
    }
    Container installer = containers.installer(identity, runtime, mcpServers);
    GitInjection.wireInstaller(installer, gitRemotes);
    ours.add(installer);
    if (settings.nativeSidecars()) {
      ours.add(sidecar);
    }
    // Ours first: any later init container of the pod already has its decision point.
    initContainers.addAll(0, ours);
    spec.setInitContainers(initContainers);

    List<Container> containers = new ArrayList<>(spec.getContainers());
    containers.removeIf(c -> isTollgateContainer(c.getName()));
    for (Container agent : containers) {
      wireAgent(agent, runtime, home);
      if (egressMode != EgressMode.OFF) {
        EgressInjection.wire(agent);
      }
      if (!gitRemotes.isEmpty()) {
        GitInjection.wireAgent(agent);
      }
    }
    if (!settings.nativeSidecars()) {
      containers.add(0, sidecar);
    }
    spec.setContainers(containers);
    return pod;
  }

  /**
   * The volume that holds the client's managed configuration, read-only in the agent containers at
   * the path the client reads it from; null for a runtime with no client wiring (Generic).
   */
  private static String wiringVolume(AgentRuntime runtime) {
    return switch (runtime) {
      case CLAUDE_CODE -> SETTINGS_VOLUME;
      case CODEX -> CODEX_VOLUME;
      default -> null;
    };
  }

  private static void wireAgent(Container agent, AgentRuntime runtime, String home) {
    List<EnvVar> env = new ArrayList<>(agent.getEnv() == null ? List.of() : agent.getEnv());
    put(env, EnvVar::getName, SidecarContainers.env(AgentEnv.URL, SidecarContract.decisionUrl()));
    if (env.stream().noneMatch(e -> e.getName().equals("HOME"))) {
      env.add(SidecarContainers.env("HOME", home));
    }
    // bash sources $BASH_ENV (sh: $ENV) before every non-interactive command it runs, the agent's
    // tools included: a file named there would run before anything the policies saw.
    put(env, EnvVar::getName, SidecarContainers.env("BASH_ENV", ""));
    put(env, EnvVar::getName, SidecarContainers.env("ENV", ""));
    if (runtime == AgentRuntime.GEMINI_CLI) {
      GeminiCliInjection.env().forEach(variable -> put(env, EnvVar::getName, variable));
    }
    agent.setEnv(env);
    List<VolumeMount> mounts =
        new ArrayList<>(agent.getVolumeMounts() == null ? List.of() : agent.getVolumeMounts());
    put(mounts, VolumeMount::getName, SidecarContainers.mount(BIN_VOLUME, Paths.BIN_DIR, true));
    if (runtime == AgentRuntime.CLAUDE_CODE) {
      put(
          mounts,
          VolumeMount::getName,
          SidecarContainers.mount(SETTINGS_VOLUME, Paths.SETTINGS_DIR, true));
    } else if (runtime == AgentRuntime.CODEX) {
      put(
          mounts,
          VolumeMount::getName,
          SidecarContainers.mount(CODEX_VOLUME, Paths.CODEX_DIR, true));
    } else if (runtime == AgentRuntime.GEMINI_CLI) {
      put(mounts, VolumeMount::getName, GeminiCliInjection.mount(GEMINI_VOLUME));
    }
    agent.setVolumeMounts(mounts);
  }

  /**
   * The agent's home: the first container's literal {@code HOME}, else the configured default,
   * which the agent containers then get as their {@code HOME} so both sides resolve {@code ~}
   * alike.
   */
  private String agentHome(Pod pod) {
    return pod.getSpec().getContainers().stream()
        .filter(c -> !isTollgateContainer(c.getName()) && c.getEnv() != null)
        .findFirst()
        .flatMap(
            c ->
                c.getEnv().stream()
                    .filter(e -> e.getName().equals("HOME") && e.getValue() != null)
                    .map(EnvVar::getValue)
                    .filter(value -> value.startsWith("/"))
                    .findFirst())
        .orElse(settings.agentHome());
  }

  /** Replaces the element with the same name, or appends it. */
  static <T> void put(List<T> list, Function<T, String> name, T element) {
    for (int i = 0; i < list.size(); i++) {
      if (name.apply(list.get(i)).equals(name.apply(element))) {
        list.set(i, element);
        return;
      }
    }
    list.add(element);
  }
}
