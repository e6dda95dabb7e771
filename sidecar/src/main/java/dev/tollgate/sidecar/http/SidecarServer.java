package dev.tollgate.sidecar.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.sidecar.metrics.SidecarMetrics;
import dev.tollgate.sidecar.policy.PolicyState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The decision point's HTTP server (the JDK's own: no framework, small and quick to start). Serves
 * health and metrics itself and mounts the {@link Gate}s on the loopback listener (docs/design.md
 * §4); any handler failure is answered with a 500 whose body is the failure answer (for hook calls,
 * still a deny).
 */
public final class SidecarServer implements AutoCloseable {

  private final HttpServer server;
  private final HttpServer ops;
  private final ExecutorService executor;

  /**
   * @param failureAnswer the body of a 500 when a handler fails
   * @param gates mounted in order on the decision listener; the ops listener (when configured)
   *     serves only /healthz, /readyz and /metrics, for kubelet probes and scrapers
   */
  public SidecarServer(
      ServerSettings settings,
      PolicyState state,
      SidecarMetrics metrics,
      JsonNode failureAnswer,
      List<Gate> gates)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 256);
    AtomicInteger counter = new AtomicInteger();
    executor =
        Executors.newFixedThreadPool(
            settings.threads(),
            runnable -> {
              Thread thread = new Thread(runnable, "tollgate-http-" + counter.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    Routes routes = new Routes(server, failureAnswer);
    gates.forEach(gate -> gate.mount(routes));
    HealthEndpoints.mount(routes, state, metrics);
    if (settings.hasOps()) {
      ops = HttpServer.create(new InetSocketAddress(settings.opsHost(), settings.opsPort()), 16);
      ops.setExecutor(executor);
      HealthEndpoints.mount(new Routes(ops, failureAnswer), state, metrics);
    } else {
      ops = null;
    }
  }

  public void start() {
    server.start();
    if (ops != null) {
      ops.start();
    }
  }

  /** The ops listener's port, or -1 without one. */
  public int opsPort() {
    return ops == null ? -1 : ops.getAddress().getPort();
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    if (ops != null) {
      ops.stop(0);
    }
    executor.shutdownNow();
  }
}
