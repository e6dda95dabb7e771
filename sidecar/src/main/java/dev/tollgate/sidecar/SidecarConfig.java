package dev.tollgate.sidecar;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
    EventsMode kubernetesEvents,
    String opsHost,
    int opsPort) {

  public static final int DEFAULT_PORT = 9440;

  /** When to publish Kubernetes Events. */
  public enum EventsMode {
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
      Map.entry("--ops-listen", Env.OPS_LISTEN));

  /**
   * Reads the configuration.
   *
   * @throws ConfigException listing every problem, one per line
   */
  public static SidecarConfig from(Map<String, String> env, String[] args) throws ConfigException {
    List<String> problems = new ArrayList<>();
    Map<String, String> settings = new HashMap<>();
    FLAGS.values().forEach(name -> {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        settings.put(name, value.strip());
      }
    });
    // The downward API conventionally exposes these under their own names.
    settings.putIfAbsent(Env.POD_NAME, env.getOrDefault("POD_NAME", ""));
    settings.putIfAbsent(Env.POD_NAMESPACE, env.getOrDefault("POD_NAMESPACE", ""));
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String name = FLAGS.get(flag);
      if (name == null) {
        problems.add("unknown option " + flag + " (known: " + String.join(", ", FLAGS.keySet().stream().sorted().toList()) + ")");
        if (!arg.contains("=") && i + 1 < args.length && !args[i + 1].startsWith("-")) {
          i++; // its value, so it is not reported as another option
        }
        continue;
      }
      if (arg.contains("=")) {
        settings.put(name, arg.substring(arg.indexOf('=') + 1));
      } else if (i + 1 < args.length) {
        settings.put(name, args[++i]);
      } else {
        problems.add(flag + " needs a value");
      }
    }

    Path bundle = null;
    String bundleText = settings.getOrDefault(Env.BUNDLE, "");
    if (bundleText.isEmpty()) {
      problems.add("--bundle (" + Env.BUNDLE + ") is required: the bundle file to enforce");
    } else {
      bundle = Path.of(bundleText);
    }

    String host = "127.0.0.1";
    int port = DEFAULT_PORT;
    String listen = settings.getOrDefault(Env.LISTEN, "127.0.0.1:" + DEFAULT_PORT);
    int colon = listen.lastIndexOf(':');
    if (colon <= 0) {
      problems.add("--listen (" + Env.LISTEN + ") must be HOST:PORT, got '" + listen + "'");
    } else {
      host = listen.substring(0, colon).replace("[", "").replace("]", "");
      port = integer(listen.substring(colon + 1), "--listen port", 0, 65_535, problems, DEFAULT_PORT);
      if (!isLoopback(host)) {
        problems.add("--listen (" + Env.LISTEN + ") must be a loopback address (127.0.0.1, ::1 or localhost), got '" + host
            + "': the decision point is only for the agent in its own pod");
      }
    }

    String identity = settings.getOrDefault(Env.IDENTITY, "");
    if (!identity.isEmpty() && !identity.matches("[a-z0-9-]+/[a-z0-9.-]+")) {
      problems.add("--identity (" + Env.IDENTITY + ") must be NAMESPACE/NAME, got '" + identity + "'");
    }
    String principal = settings.getOrDefault(Env.PRINCIPAL, "");
    if (principal.startsWith("user:")) {
      principal = principal.substring("user:".length());
    }
    List<String> groups = Arrays.stream(settings.getOrDefault(Env.GROUPS, "").split(","))
        .map(String::strip).filter(g -> !g.isEmpty()).toList();
    String home = settings.getOrDefault(Env.AGENT_HOME, "/root");
    if (!home.startsWith("/")) {
      problems.add("--agent-home (" + Env.AGENT_HOME + ") must be an absolute path, got '" + home + "'");
    }
    int maxBody = integer(settings.getOrDefault(Env.MAX_BODY_BYTES, String.valueOf(1 << 20)), "--max-body-bytes",
        1_024, 64 << 20, problems, 1 << 20);
    int reloadMs = integer(settings.getOrDefault(Env.RELOAD_INTERVAL_MS, "1000"), "--reload-interval-ms",
        50, 600_000, problems, 1000);
    int threads = integer(settings.getOrDefault(Env.THREADS, "8"), "--threads", 1, 256, problems, 8);
    EventsMode events = EventsMode.AUTO;
    String eventsText = settings.getOrDefault(Env.EVENTS, "auto");
    try {
      events = EventsMode.valueOf(eventsText.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add("--events (" + Env.EVENTS + ") must be auto, on or off, got '" + eventsText + "'");
    }
    // Kubelet probes and Prometheus reach the pod IP, never the loopback decision listener, so
    // health and metrics may be served on a second address that answers nothing else.
    String opsHost = "";
    int opsPort = 0;
    String ops = settings.getOrDefault(Env.OPS_LISTEN, "");
    if (!ops.isEmpty()) {
      int opsColon = ops.lastIndexOf(':');
      if (opsColon <= 0) {
        problems.add("--ops-listen (" + Env.OPS_LISTEN + ") must be HOST:PORT, got '" + ops + "'");
      } else {
        opsHost = ops.substring(0, opsColon).replace("[", "").replace("]", "");
        opsPort = integer(ops.substring(opsColon + 1), "--ops-listen port", 0, 65_535, problems, 0);
        if (opsPort != 0 && opsPort == port) {
          problems.add("--ops-listen must use another port than --listen (" + port + ")");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new SidecarConfig(bundle, host, port, identity, settings.get(Env.POD_NAME), settings.get(Env.POD_NAMESPACE),
        principal, groups, home, maxBody, Duration.ofMillis(reloadMs), threads, events, opsHost, opsPort);
  }

  private static int integer(String text, String what, int min, int max, List<String> problems, int fallback) {
    try {
      int value = Integer.parseInt(text.strip());
      if (value < min || value > max) {
        problems.add(what + " must be between " + min + " and " + max + ", got " + value);
        return fallback;
      }
      return value;
    } catch (NumberFormatException e) {
      problems.add(what + " must be a whole number, got '" + text + "'");
      return fallback;
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
