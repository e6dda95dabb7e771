package dev.tollgate.webhook;

import dev.tollgate.engine.decision.RequestContext;
import dev.tollgate.engine.source.KubernetesNames;
import dev.tollgate.runtime.config.Settings;
import dev.tollgate.runtime.logging.LogLevel;
import dev.tollgate.webhook.injection.AuditExportInjection;
import dev.tollgate.webhook.injection.InjectionSettings;
import dev.tollgate.webhook.injection.ResourceQuantity;
import dev.tollgate.webhook.injection.SidecarResources;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

/**
 * The webhook's whole configuration, from environment variables and flags (a flag wins), validated
 * at start: every bad setting is reported by name.
 *
 * @param tlsMode {@code self-managed} (a CA and certificate in a Secret, rotated and reloaded) or
 *     {@code files} (tls.crt/tls.key in {@code certDir}, e.g. from cert-manager)
 * @param ipSans extra IP addresses for the self-managed certificate (127.0.0.1 for a local control
 *     plane)
 * @param nativeSidecars {@code auto} (from the API server's version: 1.29+), {@code true} or {@code
 *     false}
 * @param delegationKeys the Secret (signing keys) and ConfigMap (public keys) in {@code namespace}
 *     that delegation proofs use
 * @param sidecarUser the user and group id of Tollgate's containers in agent pods
 * @param agentHome the agent's home directory when its container does not set {@code HOME}
 * @param egressInit whether pods of identities with egress mode Enforce get the rule installer
 *     (NET_ADMIN); false leaves them only the proxy variables
 * @param gitMirrorSizeLimit the size limit of the git gateway's mirror volume in pods of identities
 *     with git remotes (a Kubernetes quantity, such as {@code 2Gi})
 * @param sidecarResources the decision point's CPU and memory when its pod's annotations ask for
 *     none
 * @param sidecarMaxCpu the most CPU a pod's annotations may give its decision point
 * @param sidecarMaxMemory the most memory a pod's annotations may give its decision point
 * @param logLevel {@code --log-level} ({@code TOLLGATE_LOG_LEVEL}): trace, debug, info, warn, error
 *     or off
 * @param auditExport the audit export every sidecar gets ({@code --audit-export-*}, the same
 *     settings and checks as the sidecar's, and {@code --audit-export-headers-secret})
 */
public record WebhookConfig(
    int port,
    int metricsPort,
    String namespace,
    String service,
    String tlsMode,
    Path certDir,
    String tlsSecret,
    List<String> ipSans,
    List<String> mutatingConfigurations,
    List<String> validatingConfigurations,
    String sidecarImage,
    String imagePullPolicy,
    List<String> sidecarJvmOptions,
    String nativeSidecars,
    String delegationKeys,
    long sidecarUser,
    String agentHome,
    boolean egressInit,
    String gitMirrorSizeLimit,
    SidecarResources sidecarResources,
    String sidecarMaxCpu,
    String sidecarMaxMemory,
    Level logLevel,
    AuditExportInjection auditExport) {

  /** Environment variable names. */
  public static final class Env {
    public static final String PORT = "TOLLGATE_WEBHOOK_PORT";
    public static final String METRICS_PORT = "TOLLGATE_METRICS_PORT";
    public static final String NAMESPACE = "POD_NAMESPACE";
    public static final String SERVICE = "TOLLGATE_WEBHOOK_SERVICE";
    public static final String TLS = "TOLLGATE_WEBHOOK_TLS";
    public static final String CERT_DIR = "TOLLGATE_WEBHOOK_CERT_DIR";
    public static final String TLS_SECRET = "TOLLGATE_WEBHOOK_TLS_SECRET";
    public static final String IP_SANS = "TOLLGATE_WEBHOOK_IP_SANS";
    public static final String MUTATING = "TOLLGATE_MUTATING_WEBHOOK_CONFIGURATIONS";
    public static final String VALIDATING = "TOLLGATE_VALIDATING_WEBHOOK_CONFIGURATIONS";
    public static final String SIDECAR_IMAGE = "TOLLGATE_SIDECAR_IMAGE";
    public static final String PULL_POLICY = "TOLLGATE_SIDECAR_PULL_POLICY";
    public static final String SIDECAR_JVM_OPTIONS = "TOLLGATE_SIDECAR_JVM_OPTIONS";
    public static final String NATIVE_SIDECARS = "TOLLGATE_NATIVE_SIDECARS";
    public static final String DELEGATION_KEYS = "TOLLGATE_DELEGATION_KEYS";
    public static final String SIDECAR_USER = "TOLLGATE_SIDECAR_USER";
    public static final String AGENT_HOME = "TOLLGATE_AGENT_HOME";
    public static final String EGRESS_INIT = "TOLLGATE_EGRESS_INIT";
    public static final String GIT_MIRROR_SIZE_LIMIT = "TOLLGATE_GIT_MIRROR_SIZE_LIMIT";
    public static final String SIDECAR_CPU_REQUEST = "TOLLGATE_SIDECAR_CPU_REQUEST";
    public static final String SIDECAR_MEMORY_REQUEST = "TOLLGATE_SIDECAR_MEMORY_REQUEST";
    public static final String SIDECAR_CPU_LIMIT = "TOLLGATE_SIDECAR_CPU_LIMIT";
    public static final String SIDECAR_MEMORY_LIMIT = "TOLLGATE_SIDECAR_MEMORY_LIMIT";
    public static final String SIDECAR_MAX_CPU = "TOLLGATE_SIDECAR_MAX_CPU";
    public static final String SIDECAR_MAX_MEMORY = "TOLLGATE_SIDECAR_MAX_MEMORY";

    private Env() {}
  }

  /** The JVM flags the sidecar runs with by default (see sidecar/jvm.options and its benchmark). */
  public static final String DEFAULT_SIDECAR_JVM_OPTIONS =
      "-XX:+UseSerialGC -Xms8m -Xmx64m -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=24m "
          + "-XX:TieredStopAtLevel=1 -XX:+UseCompactObjectHeaders "
          + "-XX:AOTCache=/app/tollgate-sidecar.aot -XX:+UnlockDiagnosticVMOptions "
          + "-XX:ArchiveRelocationMode=0 -XX:TrimNativeHeapInterval=5000 -XX:-UsePerfData "
          + "-XX:+ExitOnOutOfMemoryError -Dsun.net.httpserver.nodelay=true -Xlog:disable "
          + "-Xlog:all=warning:stderr -XX:+DisplayVMOutputToStderr";

  private static final Map<String, String> FLAGS =
      withAuditExportFlags(
          Map.ofEntries(
              Map.entry("--port", Env.PORT),
              Map.entry("--metrics-port", Env.METRICS_PORT),
              Map.entry("--namespace", Env.NAMESPACE),
              Map.entry("--service", Env.SERVICE),
              Map.entry("--tls", Env.TLS),
              Map.entry("--cert-dir", Env.CERT_DIR),
              Map.entry("--tls-secret", Env.TLS_SECRET),
              Map.entry("--ip-sans", Env.IP_SANS),
              Map.entry("--mutating-configurations", Env.MUTATING),
              Map.entry("--validating-configurations", Env.VALIDATING),
              Map.entry("--sidecar-image", Env.SIDECAR_IMAGE),
              Map.entry("--sidecar-pull-policy", Env.PULL_POLICY),
              Map.entry("--sidecar-jvm-options", Env.SIDECAR_JVM_OPTIONS),
              Map.entry("--native-sidecars", Env.NATIVE_SIDECARS),
              Map.entry("--delegation-keys", Env.DELEGATION_KEYS),
              Map.entry("--sidecar-user", Env.SIDECAR_USER),
              Map.entry("--agent-home", Env.AGENT_HOME),
              Map.entry("--egress-init", Env.EGRESS_INIT),
              Map.entry("--git-mirror-size-limit", Env.GIT_MIRROR_SIZE_LIMIT),
              Map.entry("--sidecar-cpu-request", Env.SIDECAR_CPU_REQUEST),
              Map.entry("--sidecar-memory-request", Env.SIDECAR_MEMORY_REQUEST),
              Map.entry("--sidecar-cpu-limit", Env.SIDECAR_CPU_LIMIT),
              Map.entry("--sidecar-memory-limit", Env.SIDECAR_MEMORY_LIMIT),
              Map.entry("--sidecar-max-cpu", Env.SIDECAR_MAX_CPU),
              Map.entry("--sidecar-max-memory", Env.SIDECAR_MAX_MEMORY),
              Map.entry(LogLevel.FLAG, LogLevel.VARIABLE)));

  private static Map<String, String> withAuditExportFlags(Map<String, String> flags) {
    Map<String, String> all = new HashMap<>(flags);
    all.putAll(AuditExportInjection.FLAGS);
    return Map.copyOf(all);
  }

  /**
   * The decision point's resources by default, sized for the default JVM flags (a 64 MiB heap): the
   * limit holds the 117 MiB peak measured in a real pod (README.md "Cost per agent pod").
   */
  public static final SidecarResources DEFAULT_SIDECAR_RESOURCES =
      new SidecarResources("50m", "96Mi", "500m", "160Mi");

  /** The most a pod's annotations may give its decision point by default. */
  public static final String DEFAULT_SIDECAR_MAX_CPU = "2";

  public static final String DEFAULT_SIDECAR_MAX_MEMORY = "1Gi";

  /**
   * The decision point's user and group: outside what images allocate (65532 is distroless's {@code
   * nonroot}, which agent images use too; 65534 is {@code nobody}).
   */
  public static final long DEFAULT_SIDECAR_USER = 65_100;

  public static WebhookConfig from(Map<String, String> env, String[] args)
      throws WebhookConfigException {
    Settings settings = new Settings(env, args, FLAGS);
    int port = (int) settings.number(Env.PORT, 8443, 0, 65_535);
    int metricsPort = (int) settings.number(Env.METRICS_PORT, 8080, 0, 65_535);
    String namespace = settings.get(Env.NAMESPACE, "");
    if (namespace.isEmpty()) {
      settings.problem(Env.NAMESPACE, "is required: Tollgate's own namespace, never intercepted");
    }
    String tls = settings.choice(Env.TLS, "self-managed", List.of("self-managed", "files"));
    String certDir = settings.get(Env.CERT_DIR, "");
    if (tls.equals("files") && certDir.isEmpty()) {
      settings.problem(Env.CERT_DIR, "is required with --tls files");
    }
    String image = settings.get(Env.SIDECAR_IMAGE, "");
    if (image.isEmpty()) {
      settings.problem(Env.SIDECAR_IMAGE, "is required: the image the decision point runs from");
    }
    String pullPolicy =
        settings.choice(
            Env.PULL_POLICY, "IfNotPresent", List.of("Always", "IfNotPresent", "Never"));
    String nativeSidecars =
        settings.choice(Env.NATIVE_SIDECARS, "auto", List.of("auto", "true", "false"));
    long sidecarUser = settings.number(Env.SIDECAR_USER, DEFAULT_SIDECAR_USER, 1, 2_147_483_647L);
    String agentHome = settings.get(Env.AGENT_HOME, RequestContext.DEFAULT_HOME);
    if (!agentHome.startsWith("/")) {
      settings.problem(Env.AGENT_HOME, "must be an absolute path, got '" + agentHome + "'");
    }
    String delegationKeys = settings.get(Env.DELEGATION_KEYS, "tollgate-delegation-keys");
    if (!KubernetesNames.isDnsSubdomain(delegationKeys)) {
      settings.problem(
          Env.DELEGATION_KEYS, "must be a Secret and ConfigMap name, got '" + delegationKeys + "'");
    }
    boolean egressInit =
        settings.choice(Env.EGRESS_INIT, "true", List.of("true", "false")).equals("true");
    String gitMirrorSizeLimit =
        settings.get(Env.GIT_MIRROR_SIZE_LIMIT, InjectionSettings.DEFAULT_GIT_MIRROR_SIZE_LIMIT);
    if (!ResourceQuantity.isValid(gitMirrorSizeLimit)) {
      settings.problem(
          Env.GIT_MIRROR_SIZE_LIMIT,
          "must be a Kubernetes quantity such as 2Gi, got '" + gitMirrorSizeLimit + "'");
    }
    SidecarResources defaults = DEFAULT_SIDECAR_RESOURCES;
    SidecarResources resources =
        new SidecarResources(
            quantity(settings, Env.SIDECAR_CPU_REQUEST, defaults.cpuRequest(), "50m"),
            quantity(settings, Env.SIDECAR_MEMORY_REQUEST, defaults.memoryRequest(), "96Mi"),
            quantity(settings, Env.SIDECAR_CPU_LIMIT, defaults.cpuLimit(), "500m"),
            quantity(settings, Env.SIDECAR_MEMORY_LIMIT, defaults.memoryLimit(), "160Mi"));
    String maxCpu = quantity(settings, Env.SIDECAR_MAX_CPU, DEFAULT_SIDECAR_MAX_CPU, "2");
    String maxMemory =
        quantity(settings, Env.SIDECAR_MAX_MEMORY, DEFAULT_SIDECAR_MAX_MEMORY, "1Gi");
    if (settings.problems().isEmpty()) {
      if (ResourceQuantity.exceeds(resources.cpuRequest(), resources.cpuLimit())) {
        settings.problem(
            Env.SIDECAR_CPU_REQUEST,
            "must not be above the CPU limit "
                + resources.cpuLimit()
                + ", got "
                + resources.cpuRequest());
      }
      if (ResourceQuantity.exceeds(resources.memoryRequest(), resources.memoryLimit())) {
        settings.problem(
            Env.SIDECAR_MEMORY_REQUEST,
            "must not be above the memory limit "
                + resources.memoryLimit()
                + ", got "
                + resources.memoryRequest());
      }
      if (ResourceQuantity.exceeds(resources.cpuLimit(), maxCpu)) {
        settings.problem(
            Env.SIDECAR_MAX_CPU,
            "must be at least the sidecar's CPU limit " + resources.cpuLimit() + ", got " + maxCpu);
      }
      if (ResourceQuantity.exceeds(resources.memoryLimit(), maxMemory)) {
        settings.problem(
            Env.SIDECAR_MAX_MEMORY,
            "must be at least the sidecar's memory limit "
                + resources.memoryLimit()
                + ", got "
                + maxMemory);
      }
    }
    Level logLevel = LogLevel.read(settings);
    AuditExportInjection auditExport = AuditExportInjection.read(settings);
    if (!settings.problems().isEmpty()) {
      throw new WebhookConfigException(settings.problems());
    }
    return new WebhookConfig(
        port,
        metricsPort,
        namespace,
        settings.get(Env.SERVICE, "tollgate-webhook"),
        tls,
        certDir.isEmpty() ? null : Path.of(certDir),
        settings.get(Env.TLS_SECRET, "tollgate-webhook-tls"),
        settings.list(Env.IP_SANS, ""),
        settings.list(Env.MUTATING, "tollgate"),
        settings.list(Env.VALIDATING, "tollgate"),
        image,
        pullPolicy,
        Arrays.stream(
                settings.get(Env.SIDECAR_JVM_OPTIONS, DEFAULT_SIDECAR_JVM_OPTIONS).split("\\s+"))
            .filter(option -> !option.isEmpty())
            .toList(),
        nativeSidecars,
        delegationKeys,
        sidecarUser,
        agentHome,
        egressInit,
        gitMirrorSizeLimit,
        resources,
        maxCpu,
        maxMemory,
        logLevel,
        auditExport);
  }

  /** A positive Kubernetes quantity, or a problem naming the setting and an example. */
  private static String quantity(
      Settings settings, String variable, String fallback, String example) {
    String value = settings.get(variable, fallback);
    if (ResourceQuantity.amount(value).filter(amount -> amount.signum() > 0).isEmpty()) {
      settings.problem(
          variable,
          "must be a Kubernetes quantity above zero such as " + example + ", got '" + value + "'");
      return fallback;
    }
    return value;
  }
}
