package dev.tollgate.sidecar.http;

import dev.tollgate.api.SidecarContract.Flags;
import dev.tollgate.api.SidecarContract.Ports;
import dev.tollgate.api.SidecarContract.SidecarEnv;
import dev.tollgate.runtime.config.Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * Where and how the decision point listens.
 *
 * @param host the loopback address to listen on
 * @param port the port to listen on (0 picks a free one; tests use that)
 * @param threads request-handling threads
 * @param maxBodyBytes request bodies above this get 413
 * @param opsHost where probes and scrapers reach /healthz, /readyz and /metrics (never the decision
 *     endpoints); empty for no ops listener
 * @param opsPort the ops listener's port
 */
public record ServerSettings(
    String host, int port, int threads, int maxBodyBytes, String opsHost, int opsPort) {

  public static final Map<String, String> FLAGS =
      Map.of(
          Flags.LISTEN,
          SidecarEnv.LISTEN,
          "--threads",
          SidecarEnv.THREADS,
          "--max-body-bytes",
          SidecarEnv.MAX_BODY_BYTES,
          Flags.OPS_LISTEN,
          SidecarEnv.OPS_LISTEN);

  /** Whether a second listener serves health and metrics. */
  public boolean hasOps() {
    return !opsHost.isEmpty();
  }

  /** Reads and validates; problems go to {@code settings} (the result is then null). */
  public static ServerSettings read(Settings settings) {
    Listener listen = listener(settings, SidecarEnv.LISTEN, "127.0.0.1:" + Ports.DECISION);
    if (listen != null && !isLoopback(listen.host())) {
      settings.problem(
          SidecarEnv.LISTEN,
          "must be a loopback address (127.0.0.1, ::1 or localhost), got '"
              + listen.host()
              + "': the decision point is only for the agent in its own pod");
    }
    int maxBody = (int) settings.number(SidecarEnv.MAX_BODY_BYTES, 1 << 20, 1_024, 64 << 20);
    int threads = (int) settings.number(SidecarEnv.THREADS, 8, 1, 256);
    // Kubelet probes and Prometheus reach the pod IP, never the loopback decision listener, so
    // health and metrics may be served on a second address that answers nothing else.
    Listener ops =
        settings.find(SidecarEnv.OPS_LISTEN).isPresent()
            ? listener(settings, SidecarEnv.OPS_LISTEN, "")
            : null;
    if (ops != null && listen != null && ops.port() != 0 && ops.port() == listen.port()) {
      settings.problem(
          SidecarEnv.OPS_LISTEN, "must use another port than --listen (" + listen.port() + ")");
    }
    if (listen == null) {
      return null;
    }
    return new ServerSettings(
        listen.host(),
        listen.port(),
        threads,
        maxBody,
        ops == null ? "" : ops.host(),
        ops == null ? 0 : ops.port());
  }

  /** A listen address, {@code HOST:PORT}. */
  public record Listener(String host, int port) {}

  /** Reads {@code HOST:PORT}; null (with the problem recorded) when it is none. */
  public static Listener listener(Settings settings, String variable, String fallback) {
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
      settings.problem(
          variable, "port must be a whole number, got '" + text.substring(colon + 1) + "'");
      return null;
    }
  }

  /** Whether a literal host (or localhost) is a loopback address; names never are. */
  public static boolean isLoopback(String host) {
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
