package dev.tollgate.sidecar.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tollgate.api.SidecarContract;
import dev.tollgate.sidecar.metrics.SidecarMetrics;
import dev.tollgate.sidecar.policy.PolicyState;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (a valid bundle is enforced and its
 * source still exists), {@code /metrics}, and 404 for every path nothing else serves.
 */
final class HealthEndpoints {

  static final String HEALTHZ = SidecarContract.Health.LIVE;
  static final String READYZ = SidecarContract.Health.READY;
  static final String METRICS = "/metrics";

  private HealthEndpoints() {}

  static void mount(Routes routes, PolicyState state, SidecarMetrics metrics) {
    routes.guarded(HEALTHZ, healthz());
    routes.guarded(READYZ, readyz(state));
    routes.guarded(METRICS, metrics(metrics::scrape));
    routes.guarded("/", notFound());
  }

  static HttpHandler healthz() {
    return exchange -> {
      if (!Exchanges.rejectUnlessRoute(exchange, HEALTHZ, "GET")) {
        Exchanges.sendJson(exchange, 200, Exchanges.JSON.createObjectNode().put("status", "ok"));
      }
    };
  }

  static HttpHandler readyz(PolicyState state) {
    return (HttpExchange exchange) -> {
      if (Exchanges.rejectUnlessRoute(exchange, READYZ, "GET")) {
        return;
      }
      ObjectNode body = Exchanges.JSON.createObjectNode();
      var engine = state.engine();
      if (state.ready()) {
        body.put("status", "ready").put("bundleRevision", engine.get().revision());
        if (!state.problem().isEmpty()) {
          body.put("warning", state.problem());
        }
        Exchanges.sendJson(exchange, 200, body);
      } else {
        // Withdrawn: the kept bundle still decides; the revision says which.
        body.put("status", "not ready").put("reason", state.problem());
        engine.ifPresent(e -> body.put("bundleRevision", e.revision()));
        Exchanges.sendJson(exchange, 503, body);
      }
    };
  }

  static HttpHandler metrics(Supplier<String> scrape) {
    return exchange -> {
      if (!Exchanges.rejectUnlessRoute(exchange, METRICS, "GET")) {
        Exchanges.send(
            exchange,
            200,
            "text/plain; version=0.0.4; charset=utf-8",
            scrape.get().getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  /** Everything else. */
  static HttpHandler notFound() {
    return exchange -> {
      try (exchange) {
        Exchanges.sendText(exchange, 404, "not found\n");
      }
    };
  }
}
