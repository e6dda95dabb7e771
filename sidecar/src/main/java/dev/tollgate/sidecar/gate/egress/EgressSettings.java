package dev.tollgate.sidecar.gate.egress;

import dev.tollgate.api.SidecarContract.Flags;
import dev.tollgate.api.SidecarContract.SidecarEnv;
import dev.tollgate.runtime.config.Settings;
import dev.tollgate.sidecar.http.ServerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The egress gate's settings, read with the sidecar's other settings and validated with them.
 *
 * @param host the loopback address the proxy listens on; empty when the gate is off
 * @param port its port (0 picks a free one; tests use that)
 * @param handshakeThreads threads that read requests, decide, resolve and connect (never the
 *     decision endpoints' threads); a connection holds one only until its tunnel is set up
 * @param relayThreads selector threads that relay the bytes of every open tunnel
 * @param maxTunnels open connections at most; more are refused with 503
 * @param connectTimeout connecting to the destination
 * @param handshakeTimeout reading the request head, and the TLS ClientHello of a CONNECT to 443
 * @param idleTimeout a tunnel with no byte either way for this long is closed
 * @param maxDuration a tunnel open this long is closed
 * @param maxBytes a tunnel that carried this many bytes (both ways together) is closed
 * @param tlsPorts CONNECT ports whose tunnels must start with a TLS ClientHello naming the CONNECT
 *     host (SNI); only these are peeked, since on other ports the server may speak first
 * @param auditOnly the identity's egress mode is Audit: a connection the policies refuse still
 *     connects, and its records say what Enforce would have decided
 */
public record EgressSettings(
    String host,
    int port,
    int handshakeThreads,
    int relayThreads,
    int maxTunnels,
    Duration connectTimeout,
    Duration handshakeTimeout,
    Duration idleTimeout,
    Duration maxDuration,
    long maxBytes,
    Set<Integer> tlsPorts,
    boolean auditOnly) {

  public EgressSettings {
    tlsPorts = Set.copyOf(tlsPorts);
  }

  /** The flags, each overriding its variable. */
  public static final Map<String, String> FLAGS =
      Map.ofEntries(
          Map.entry(Flags.EGRESS_LISTEN, SidecarEnv.EGRESS_LISTEN),
          Map.entry("--egress-handshake-threads", SidecarEnv.EGRESS_HANDSHAKE_THREADS),
          Map.entry("--egress-relay-threads", SidecarEnv.EGRESS_RELAY_THREADS),
          Map.entry("--egress-max-tunnels", SidecarEnv.EGRESS_MAX_TUNNELS),
          Map.entry("--egress-connect-timeout-ms", SidecarEnv.EGRESS_CONNECT_TIMEOUT_MS),
          Map.entry("--egress-handshake-timeout-ms", SidecarEnv.EGRESS_HANDSHAKE_TIMEOUT_MS),
          Map.entry("--egress-idle-timeout-ms", SidecarEnv.EGRESS_IDLE_TIMEOUT_MS),
          Map.entry("--egress-max-duration-ms", SidecarEnv.EGRESS_MAX_DURATION_MS),
          Map.entry("--egress-max-bytes", SidecarEnv.EGRESS_MAX_BYTES),
          Map.entry("--egress-tls-ports", SidecarEnv.EGRESS_TLS_PORTS),
          Map.entry("--egress-mode", SidecarEnv.EGRESS_MODE));

  /** Whether the gate listens at all. */
  public boolean enabled() {
    return !host.isEmpty();
  }

  /** Defaults, listening on a free loopback port (tests). */
  public static EgressSettings loopbackForTests() {
    return new EgressSettings(
        "127.0.0.1",
        0,
        8,
        2,
        512,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofMinutes(5),
        Duration.ofHours(1),
        8L << 30,
        Set.of(443),
        false);
  }

  /**
   * Reads and validates; problems go to {@code settings}, with defaults returned in their place.
   */
  public static EgressSettings read(Settings settings) {
    String host = "";
    int port = 0;
    if (!settings.get(SidecarEnv.EGRESS_LISTEN, "").isEmpty()) {
      ServerSettings.Listener listen =
          ServerSettings.listener(settings, SidecarEnv.EGRESS_LISTEN, "");
      if (listen != null && !ServerSettings.isLoopback(listen.host())) {
        settings.problem(
            SidecarEnv.EGRESS_LISTEN,
            "must be a loopback address (127.0.0.1, ::1 or localhost), got '"
                + listen.host()
                + "': the agent reaches the proxy over lo, and nobody else may");
      } else if (listen != null) {
        host = listen.host();
        port = listen.port();
      }
    }
    int handshake = (int) settings.number(SidecarEnv.EGRESS_HANDSHAKE_THREADS, 16, 1, 1_024);
    int relay = (int) settings.number(SidecarEnv.EGRESS_RELAY_THREADS, 2, 1, 64);
    int tunnels = (int) settings.number(SidecarEnv.EGRESS_MAX_TUNNELS, 512, 1, 65_536);
    long connectMs = settings.number(SidecarEnv.EGRESS_CONNECT_TIMEOUT_MS, 10_000, 10, 120_000);
    long handshakeMs = settings.number(SidecarEnv.EGRESS_HANDSHAKE_TIMEOUT_MS, 10_000, 10, 120_000);
    long idleMs = settings.number(SidecarEnv.EGRESS_IDLE_TIMEOUT_MS, 300_000, 10, 86_400_000);
    long durationMs =
        settings.number(SidecarEnv.EGRESS_MAX_DURATION_MS, 3_600_000, 10, 7 * 86_400_000L);
    long maxBytes = settings.number(SidecarEnv.EGRESS_MAX_BYTES, 8L << 30, 1_024, 1L << 50);
    Set<Integer> tlsPorts = new TreeSet<>();
    for (String text : settings.list(SidecarEnv.EGRESS_TLS_PORTS, "443")) {
      try {
        int tlsPort = Integer.parseInt(text.strip());
        if (tlsPort < 1 || tlsPort > 65_535) {
          throw new NumberFormatException();
        }
        tlsPorts.add(tlsPort);
      } catch (NumberFormatException e) {
        settings.problem(SidecarEnv.EGRESS_TLS_PORTS, "'" + text + "' is not a port");
      }
    }
    boolean auditOnly =
        settings
            .choice(SidecarEnv.EGRESS_MODE, "enforce", List.of("enforce", "audit"))
            .equals("audit");
    return new EgressSettings(
        host,
        port,
        handshake,
        relay,
        tunnels,
        Duration.ofMillis(connectMs),
        Duration.ofMillis(handshakeMs),
        Duration.ofMillis(idleMs),
        Duration.ofMillis(durationMs),
        maxBytes,
        tlsPorts,
        auditOnly);
  }
}
