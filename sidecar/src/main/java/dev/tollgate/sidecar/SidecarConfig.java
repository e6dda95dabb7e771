package dev.tollgate.sidecar;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import dev.tollgate.runtime.config.Settings;
import dev.tollgate.sidecar.mcp.McpSettings;
import java.util.List;
import java.util.Map;

/**
 * The sidecar's whole configuration, read once at start from environment variables and flags
 * (a flag wins over its variable) and validated: every bad setting is reported, by name, before
 * anything listens.
 *
 * @param bundle the bundle file (a ConfigMap mount: {@code .../bundle.json})
 * @param host the loopback address to listen on
 * @param port the port to listen on (0 picks a free one; tests use that)
 * @param expectedIdentity {@code namespace/name} the bundle must be for, or empty to accept any
 * @param pod the agent pod's name (downward API)
 * @param namespace the agent pod's namespace (downward API)
 * @param principal on whose behalf the agent acts ({@code tollgate.dev/on-behalf-of}); may be empty
 * @param groups the principal's groups
 * @param agentHome the agent's home directory, for {@code ~} in paths
 * @param maxBodyBytes request bodies above this get 413
 * @param reloadInterval how often the bundle file is checked for a new version
 * @param threads request-handling threads
 * @param kubernetesEvents whether to publish denials as Kubernetes Events
 * @param opsHost where probes and scrapers reach /healthz, /readyz and /metrics (never the
 *     decision endpoints); empty for no ops listener
 * @param opsPort the ops listener's port
 * @param approvals whether approval-required calls create ToolCallApprovals and wait for them
 *     (AUTO: when running in a cluster); without approvals such calls are denied
 * @param approvalLifetime how long an approval stays decidable after it is asked for (at least the
 *     identity's wait): a human who answers after the agent gave up still unlocks one retry
 * @param mcp the MCP gateway's settings ({@code --mcp-*}, {@code TOLLGATE_MCP_*})
 */
public record SidecarConfig(
    Path bundle,
    String host,
    int port,
    String expectedIdentity,
    String pod,
    String namespace,
    String principal,
    List<String> groups,
    String agentHome,
    int maxBodyBytes,
    Duration reloadInterval,
    int threads,
    KubernetesMode kubernetesEvents,
    String opsHost,
    int opsPort,
    KubernetesMode approvals,
    Duration approvalLifetime,
    McpSettings mcp) {

  public static final int DEFAULT_PORT = 9440;

  /** When to use the Kubernetes API for a feature: always, never, or when running in a cluster. */
  public enum KubernetesMode {
    AUTO,
    ON,
    OFF
  }

  /** Environment variable names, so the webhook and the docs use the same ones. */
  public static final class Env {
    public static final String BUNDLE = "TOLLGATE_BUNDLE";
    public static final String LISTEN = "TOLLGATE_LISTEN";
    public static final String IDENTITY = "TOLLGATE_IDENTITY";
    public static final String POD_NAME = "TOLLGATE_POD_NAME";
    public static final String POD_NAMESPACE = "TOLLGATE_POD_NAMESPACE";
    public static final String PRINCIPAL = "TOLLGATE_PRINCIPAL";
    public static final String GROUPS = "TOLLGATE_GROUPS";
    public static final String AGENT_HOME = "TOLLGATE_AGENT_HOME";
    public static final String MAX_BODY_BYTES = "TOLLGATE_MAX_BODY_BYTES";
    public static final String RELOAD_INTERVAL_MS = "TOLLGATE_RELOAD_INTERVAL_MS";
    public static final String THREADS = "TOLLGATE_THREADS";
    public static final String EVENTS = "TOLLGATE_EVENTS";
    public static final String OPS_LISTEN = "TOLLGATE_OPS_LISTEN";
    public static final String APPROVALS = "TOLLGATE_APPROVALS";
    public static final String APPROVAL_LIFETIME_SECONDS = "TOLLGATE_APPROVAL_LIFETIME_SECONDS";

    private Env() {}
  }

  private static final Map<String, String> FLAGS = Map.ofEntries(
      Map.entry("--bundle", Env.BUNDLE),
      Map.entry("--listen", Env.LISTEN),
      Map.entry("--identity", Env.IDENTITY),
      Map.entry("--pod", Env.POD_NAME),
      Map.entry("--namespace", Env.POD_NAMESPACE),
      Map.entry("--principal", Env.PRINCIPAL),
      Map.entry("--groups", Env.GROUPS),
      Map.entry("--agent-home", Env.AGENT_HOME),
      Map.entry("--max-body-bytes", Env.MAX_BODY_BYTES),
      Map.entry("--reload-interval-ms", Env.RELOAD_INTERVAL_MS),
      Map.entry("--threads", Env.THREADS),
      Map.entry("--events", Env.EVENTS),
      Map.entry("--ops-listen", Env.OPS_LISTEN),
      Map.entry("--approvals", Env.APPROVALS),
      Map.entry("--approval-lifetime-seconds", Env.APPROVAL_LIFETIME_SECONDS));

  /**
   * Reads the configuration.
   *
   * @throws ConfigException listing every problem, one per line
   */
  public static SidecarConfig from(Map<String, String> env, String[] args) throws ConfigException {
    // The downward API conventionally exposes these under their own names.
    Map<String, String> flags = new java.util.HashMap<>(FLAGS);
    flags.putAll(McpSettings.FLAGS);
    Settings settings = new Settings(env, args, flags)
        .alias(Env.POD_NAME, "POD_NAME", env)
        .alias(Env.POD_NAMESPACE, "POD_NAMESPACE", env);

    Path bundle = settings.find(Env.BUNDLE).map(Path::of).orElse(null);
    if (bundle == null) {
      settings.problem(Env.BUNDLE, "is required: the bundle file to enforce");
    }
    Listener listen = listener(settings, Env.LISTEN, "127.0.0.1:" + DEFAULT_PORT);
    if (listen != null && !isLoopback(listen.host())) {
      settings.problem(Env.LISTEN, "must be a loopback address (127.0.0.1, ::1 or localhost), got '" + listen.host()
          + "': the decision point is only for the agent in its own pod");
    }
    String identity = settings.get(Env.IDENTITY, "");
    if (!identity.isEmpty() && !identity.matches("[a-z0-9-]+/[a-z0-9.-]+")) {
      settings.problem(Env.IDENTITY, "must be NAMESPACE/NAME, got '" + identity + "'");
    }
    String principal = settings.get(Env.PRINCIPAL, "");
    if (principal.startsWith("user:")) {
      principal = principal.substring("user:".length());
    }
    String home = settings.get(Env.AGENT_HOME, "/root");
    if (!home.startsWith("/")) {
      settings.problem(Env.AGENT_HOME, "must be an absolute path, got '" + home + "'");
    }
    int maxBody = (int) settings.number(Env.MAX_BODY_BYTES, 1 << 20, 1_024, 64 << 20);
    long reloadMs = settings.number(Env.RELOAD_INTERVAL_MS, 1_000, 50, 600_000);
    int threads = (int) settings.number(Env.THREADS, 8, 1, 256);
    KubernetesMode events = KubernetesMode.valueOf(
        settings.choice(Env.EVENTS, "auto", List.of("auto", "on", "off")).toUpperCase(java.util.Locale.ROOT));
    KubernetesMode approvals = KubernetesMode.valueOf(
        settings.choice(Env.APPROVALS, "auto", List.of("auto", "on", "off")).toUpperCase(java.util.Locale.ROOT));
    long approvalLifetime = settings.number(Env.APPROVAL_LIFETIME_SECONDS, 3_600, 1, 7 * 86_400);
    // Kubelet probes and Prometheus reach the pod IP, never the loopback decision listener, so
    // health and metrics may be served on a second address that answers nothing else.
    Listener ops = settings.find(Env.OPS_LISTEN).isPresent() ? listener(settings, Env.OPS_LISTEN, "") : null;
    if (ops != null && listen != null && ops.port() != 0 && ops.port() == listen.port()) {
      settings.problem(Env.OPS_LISTEN, "must use another port than --listen (" + listen.port() + ")");
    }
    McpSettings mcp = McpSettings.read(settings);
    if (!settings.problems().isEmpty()) {
      throw new ConfigException(settings.problems());
    }
    return new SidecarConfig(bundle, listen.host(), listen.port(), identity, settings.get(Env.POD_NAME, ""),
        settings.get(Env.POD_NAMESPACE, ""), principal, settings.list(Env.GROUPS, ""), home, maxBody,
        Duration.ofMillis(reloadMs), threads, events, ops == null ? "" : ops.host(), ops == null ? 0 : ops.port(),
        approvals, Duration.ofSeconds(approvalLifetime), mcp);
  }

  private record Listener(String host, int port) {}

  private static Listener listener(Settings settings, String variable, String fallback) {
    String text = settings.get(variable, fallback);
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      settings.problem(variable, "must be HOST:PORT, got '" + text + "'");
      return null;
    }
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 0 || port > 65_535) {
        settings.problem(variable, "port must be between 0 and 65535, got " + port);
        return null;
      }
      return new Listener(text.substring(0, colon).replace("[", "").replace("]", ""), port);
    } catch (NumberFormatException e) {
      settings.problem(variable, "port must be a whole number, got '" + text.substring(colon + 1) + "'");
      return null;
    }
  }

  private static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    // Only literal addresses: resolving a name here would make the check depend on DNS.
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
