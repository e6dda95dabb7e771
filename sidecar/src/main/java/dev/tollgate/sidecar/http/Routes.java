package dev.tollgate.sidecar.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Where a {@link Gate} mounts its handlers: one listener of the {@link SidecarServer}. */
public final class Routes {

  private static final Logger LOG = Logger.getLogger(Routes.class.getName());

  private final HttpServer server;
  private final JsonNode failureAnswer;

  Routes(HttpServer server, JsonNode failureAnswer) {
    this.server = server;
    this.failureAnswer = failureAnswer;
  }

  /**
   * A handler that answers on the request thread: the exchange is closed after it (unless it
   * {@linkplain Exchanges#detach detached} it), and a failure is answered with a 500 carrying the
   * failure answer.
   */
  public void guarded(String path, HttpHandler handler) {
    server.createContext(path, guard(handler));
  }

  /** A handler that answers on its own threads, after {@code handle} returned: not wrapped. */
  public void direct(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  private HttpHandler guard(HttpHandler handler) {
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
          Exchanges.sendJson(exchange, 500, failureAnswer);
        } catch (IOException | RuntimeException ignored) {
          // Headers may already be sent; the hook client treats a broken answer as a deny.
        } finally {
          exchange.close();
        }
      }
    };
  }
}
