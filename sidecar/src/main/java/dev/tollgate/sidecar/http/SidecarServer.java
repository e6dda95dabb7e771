package dev.tollgate.sidecar.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tollgate.sidecar.mcp.McpGateway;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.sidecar.authz.ToolCallAuthorizer;
import dev.tollgate.sidecar.metrics.SidecarMetrics;
import dev.tollgate.sidecar.policy.PolicyState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The decision point's HTTP server (the JDK's own: no framework, small and quick to start). Routes
 * the endpoints of docs/design.md §4; any handler failure is answered with a 500 whose body, for hook
 * calls, is still a deny.
 */
public final class SidecarServer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SidecarServer.class.getName());

  private final HttpServer server;
  private final HttpServer ops;
  private final ExecutorService executor;

  /**
   * @param opsHost where a second listener serves only /healthz, /readyz and /metrics (for
   *     kubelet probes and scrapers, which reach the pod IP); empty for none
   */
  public SidecarServer(String host, int port, int threads, ToolCallAuthorizer authorizer, PolicyState state,
      SidecarMetrics metrics, int maxBodyBytes, String opsHost, int opsPort) throws IOException {
    this(host, port, threads, authorizer, state, metrics, maxBodyBytes, opsHost, opsPort, null);
  }

  /**
   * @param mcp the MCP gateway for {@code /mcp/<server>}, or null for none; not wrapped like the
   *     other handlers: it answers on its own threads, after {@code handle} has returned
   */
  public SidecarServer(String host, int port, int threads, ToolCallAuthorizer authorizer, PolicyState state,
      SidecarMetrics metrics, int maxBodyBytes, String opsHost, int opsPort, McpGateway mcp) throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 256);
    AtomicInteger counter = new AtomicInteger();
    executor = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "tollgate-http-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext(HookEndpoint.PATH, guarded(new HookEndpoint(authorizer, maxBodyBytes,
        mcp == null ? tool -> null : mcp::annotationsOf)));
    server.createContext(AuthzenEndpoint.EVALUATION, guarded(new AuthzenEndpoint(authorizer, maxBodyBytes, false)));
    server.createContext(AuthzenEndpoint.EVALUATIONS, guarded(new AuthzenEndpoint(authorizer, maxBodyBytes, true)));
    server.createContext(HealthEndpoints.HEALTHZ, guarded(HealthEndpoints.healthz()));
    server.createContext(HealthEndpoints.READYZ, guarded(HealthEndpoints.readyz(state)));
    server.createContext("/metrics", guarded(HealthEndpoints.metrics(metrics::scrape)));
    server.createContext("/", guarded(HealthEndpoints.notFound()));
    if (mcp != null) {
      server.createContext("/mcp/", mcp);
    }
    if (opsHost.isEmpty()) {
      ops = null;
    } else {
      ops = HttpServer.create(new InetSocketAddress(opsHost, opsPort), 16);
      ops.setExecutor(executor);
      ops.createContext(HealthEndpoints.HEALTHZ, guarded(HealthEndpoints.healthz()));
      ops.createContext(HealthEndpoints.READYZ, guarded(HealthEndpoints.readyz(state)));
      ops.createContext("/metrics", guarded(HealthEndpoints.metrics(metrics::scrape)));
      ops.createContext("/", guarded(HealthEndpoints.notFound()));
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

  private static HttpHandler guarded(HttpHandler handler) {
    return (HttpExchange exchange) -> {
      try {
        handler.handle(exchange);
        if (!Exchanges.isDetached(exchange)) {
          exchange.close();
        }
      } catch (IOException e) {
        exchange.close();
        LOG.log(Level.FINE, "client connection failed", e);
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "handler failed for " + exchange.getRequestURI().getPath(), e);
        try {
          Exchanges.sendJson(exchange, 500, HookEndpoint.preToolUseAnswer(
              dev.tollgate.engine.decision.Decision.badRequest("internal error in the decision point", "")));
        } catch (IOException | RuntimeException ignored) {
          // Headers may already be sent; the hook client treats a broken answer as a deny.
        } finally {
          exchange.close();
        }
      }
    };
  }
}
