package dev.tollgate.webhook.injection;

import dev.tollgate.api.SidecarContract;
import dev.tollgate.api.SidecarContract.Ports;
import dev.tollgate.api.SidecarContract.SidecarEnv;
import dev.tollgate.api.v1alpha1.EgressMode;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The agent's network held to the decision point's egress proxy ({@code
 * AgentIdentity.spec.egress.mode}). Enforce and Audit give every agent container the proxy in the
 * variables each kind of tool reads; Enforce adds the init container {@value #INIT} that installs
 * the rules rejecting every other packet leaving the pod (unless the cluster turned it off with
 * {@code --egress-init false}, which leaves the variables advisory).
 */
final class EgressInjection {

  /** The rule installer: first among the init containers, so nothing of the pod runs before it. */
  static final String INIT = "tollgate-egress-init";

  /** Its {@code /tmp}: the legacy iptables backend takes a lock file there. */
  static final String TMP_VOLUME = "tollgate-egress-tmp";

  /** Where the proxy runs, as the agent's tools are given it. */
  static final String PROXY_URL = SidecarContract.egressProxyUrl();

  /** Never proxied: the pod itself (the decision point's other endpoints are on loopback too). */
  static final String NO_PROXY = "localhost,127.0.0.1,::1";

  /**
   * What the JVM reads instead of the variables; {@code http.nonProxyHosts} serves https too.
   * Appended to {@code JAVA_TOOL_OPTIONS}: a later {@code -D} wins over the image's own.
   */
  static final List<String> JVM_PROPERTIES =
      List.of(
          "-Dhttps.proxyHost=127.0.0.1",
          "-Dhttps.proxyPort=" + Ports.EGRESS,
          "-Dhttp.proxyHost=127.0.0.1",
          "-Dhttp.proxyPort=" + Ports.EGRESS,
          "-Dhttp.nonProxyHosts=localhost|127.0.0.1");

  static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";

  /**
   * Keeps a {@code JAVA_TOOL_OPTIONS} the pod takes from a ConfigMap or Secret: the kubelet expands
   * {@code $(name)} to it in the value that appends the proxy.
   */
  static final String ORIGINAL_JAVA_TOOL_OPTIONS = "TOLLGATE_ORIGINAL_JAVA_TOOL_OPTIONS";

  private final InjectionSettings settings;

  EgressInjection(InjectionSettings settings) {
    this.settings = settings;
  }

  /** Whether the rule installer goes into pods of identities in {@code mode}. */
  boolean installsRules(EgressMode mode) {
    return mode == EgressMode.ENFORCE && settings.egressInit();
  }

  /** The {@code /tmp} of the rule installer, when it is injected. */
  static Volume tmpVolume() {
    return new VolumeBuilder()
        .withName(TMP_VOLUME)
        .withNewEmptyDir()
        .withMedium("Memory")
        .withSizeLimit(new Quantity("1Mi"))
        .endEmptyDir()
        .build();
  }

  /**
   * The rule installer. It runs as root because iptables needs uid 0 in the pod's network namespace
   * besides NET_ADMIN (nf_tables) and NET_RAW (the legacy backend's raw socket); everything else is
   * taken away, and it exits before any other container starts.
   */
  Container initContainer() {
    Capabilities capabilities = new Capabilities();
    capabilities.setDrop(List.of("ALL"));
    capabilities.setAdd(List.of("NET_ADMIN", "NET_RAW"));
    List<String> command = new ArrayList<>(settings.egressInitCommand());
    command.add(Long.toString(settings.sidecarUser()));
    return new ContainerBuilder()
        .withName(INIT)
        .withImage(settings.sidecarImage())
        .withImagePullPolicy(settings.imagePullPolicy())
        .withCommand(command)
        .withEnv(SidecarContainers.env("XTABLES_LOCKFILE", "/tmp/xtables.lock"))
        .withSecurityContext(
            new SecurityContextBuilder()
                .withRunAsUser(0L)
                .withRunAsGroup(0L)
                .withRunAsNonRoot(false)
                .withPrivileged(false)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withCapabilities(capabilities)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build())
        .withResources(
            new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("10m"))
                .addToRequests("memory", new Quantity("32Mi"))
                .addToLimits("memory", new Quantity("96Mi"))
                .build())
        .withVolumeMounts(SidecarContainers.mount(TMP_VOLUME, "/tmp", false))
        .build();
  }

  /**
   * The proxy in every spelling the agent's tools read: curl reads only the lower-case {@code
   * http_proxy}, Go and Python both, Node.js only with {@code NODE_USE_ENV_PROXY}, the JVM only
   * system properties.
   */
  /**
   * The decision point's egress proxy: listening, and told whether a refused connection is refused
   * (Enforce) or only recorded as what Enforce would have refused (Audit).
   */
  static void listen(Container sidecar, EgressMode mode) {
    List<EnvVar> env = new ArrayList<>(sidecar.getEnv() == null ? List.of() : sidecar.getEnv());
    put(
        env,
        SidecarContainers.env(SidecarEnv.EGRESS_LISTEN, SidecarContract.egressListenAddress()));
    put(
        env,
        SidecarContainers.env(
            SidecarEnv.EGRESS_MODE, mode == EgressMode.AUDIT ? "audit" : "enforce"));
    sidecar.setEnv(env);
  }

  static void wire(Container agent) {
    List<EnvVar> env = new ArrayList<>(agent.getEnv() == null ? List.of() : agent.getEnv());
    for (String name : List.of("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy")) {
      put(env, SidecarContainers.env(name, PROXY_URL));
    }
    put(env, SidecarContainers.env("NO_PROXY", NO_PROXY));
    put(env, SidecarContainers.env("no_proxy", NO_PROXY));
    put(env, SidecarContainers.env("NODE_USE_ENV_PROXY", "1"));
    javaToolOptions(env);
    agent.setEnv(env);
  }

  /**
   * Appends the proxy properties to the container's {@code JAVA_TOOL_OPTIONS}, keeping its own
   * options; properties of an earlier injection are dropped first, so injecting again changes
   * nothing.
   */
  private static void javaToolOptions(List<EnvVar> env) {
    Optional<EnvVar> existing =
        env.stream().filter(e -> e.getName().equals(JAVA_TOOL_OPTIONS)).findFirst();
    String own = "";
    if (existing.isPresent() && existing.get().getValueFrom() != null) {
      int at = env.indexOf(existing.get());
      env.add(
          at,
          new EnvVarBuilder()
              .withName(ORIGINAL_JAVA_TOOL_OPTIONS)
              .withValueFrom(existing.get().getValueFrom())
              .build());
      own = "$(" + ORIGINAL_JAVA_TOOL_OPTIONS + ")";
    } else if (existing.isPresent() && existing.get().getValue() != null) {
      own =
          Arrays.stream(existing.get().getValue().trim().split("\\s+"))
              .filter(option -> !option.isEmpty() && !isProxyProperty(option))
              .collect(Collectors.joining(" "));
    }
    String value =
        own.isEmpty()
            ? String.join(" ", JVM_PROPERTIES)
            : own + " " + String.join(" ", JVM_PROPERTIES);
    put(env, SidecarContainers.env(JAVA_TOOL_OPTIONS, value));
  }

  private static boolean isProxyProperty(String option) {
    return JVM_PROPERTIES.stream()
        .anyMatch(property -> option.startsWith(property.substring(0, property.indexOf('=') + 1)));
  }

  /** Replaces the variable with the same name in place, or appends it. */
  private static void put(List<EnvVar> env, EnvVar variable) {
    SidecarInjection.put(env, EnvVar::getName, variable);
  }
}
