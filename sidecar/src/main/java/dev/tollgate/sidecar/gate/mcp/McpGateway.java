package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.model.McpToolName;
import dev.tollgate.sidecar.core.PodContext;
import dev.tollgate.sidecar.core.ToolCallAuthorizer;
import dev.tollgate.sidecar.http.Gate;
import dev.tollgate.sidecar.http.GateWorkers;
import dev.tollgate.sidecar.http.Routes;
import dev.tollgate.sidecar.policy.PolicyState;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * {@code /mcp/<server>}: the MCP Streamable HTTP gateway to the bundle's {@code mcpServers}
 * (docs/design.md §4.3). Every {@code tools/call} is decided by the {@link ToolCallAuthorizer}
 * before it is forwarded, {@code tools/list} answers keep only what scope and policy let the agent
 * see, and the upstream credential, read from the sidecar-only mount, is added here: the agent
 * never has it.
 *
 * <p>This class routes: the JDK server's handler threads only hand the exchange over, and upstream
 * calls and SSE streams run on the gateway's own bounded pool (full → 503). POSTs go to the {@link
 * PostHandler}, GET and DELETE to {@link PassThrough}; see {@link McpProtocol} for the protocol
 * generations spoken.
 */
public final class McpGateway implements HttpHandler, Gate {

  public static final String PATH = "/mcp/";

  private static final Logger LOG = Logger.getLogger(McpGateway.class.getName());
  private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,62}");

  private final PolicyState state;
  private final ToolCatalog catalog;
  private final ThreadPoolExecutor workers;
  private final StreamWatchdog watchdog;
  private final PostHandler posts;
  private final PassThrough passThrough;

  public McpGateway(
      McpSettings settings,
      PolicyState state,
      ToolCallAuthorizer authorizer,
      PodContext pod,
      Clock clock,
      McpUpstreamMeter meter) {
    this.state = state;
    this.catalog = new ToolCatalog(new ToolVisibility(pod, clock));
    this.workers = GateWorkers.bounded("mcp", settings.threads());
    this.watchdog = new StreamWatchdog(settings.readTimeout());
    SessionVersions sessions = new SessionVersions();
    ToolDecisions decisions = new ToolDecisions(authorizer, catalog, settings.denial());
    UpstreamClient upstream = new UpstreamClient(settings, meter);
    UpstreamMessages messages = new UpstreamMessages(state, decisions, sessions);
    SseRelay sse = new SseRelay(messages, settings.maxResponseBytes(), settings.readTimeout());
    PostForwarder forwarder =
        new PostForwarder(upstream, messages, sse, watchdog, settings.readTimeout());
    this.posts = new PostHandler(settings, decisions, sessions, upstream, forwarder);
    this.passThrough = new PassThrough(upstream, sessions, sse, watchdog, settings.readTimeout());
  }

  /**
   * The annotations the gateway last saw listed for an agent-side MCP tool name ({@code
   * mcp__<server>__<tool>}), or null: Claude Code's hooks decide MCP calls too, and must see the
   * same {@code resource.annotations} as the gateway.
   */
  public JsonNode annotationsOf(String agentSideTool) {
    return McpToolName.parse(agentSideTool)
        .map(name -> catalog.annotations(name.server(), name.tool()))
        .orElse(null);
  }

  /**
   * Not guarded like the other handlers: the gateway answers on its own threads, after {@code
   * handle} returned.
   */
  @Override
  public void mount(Routes routes) {
    routes.direct(PATH, this);
  }

  @Override
  public void handle(HttpExchange exchange) {
    try {
      workers.execute(() -> serve(exchange));
    } catch (RejectedExecutionException e) {
      Reply reply = new Reply(exchange);
      try {
        reply.header("Retry-After", "1");
        reply.json(
            503,
            JsonRpc.error(null, JsonRpc.INTERNAL_ERROR, "the Tollgate MCP gateway is busy; retry"));
      } catch (IOException ignored) {
        // the client left
      } finally {
        reply.close();
      }
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
    watchdog.close();
  }

  private void serve(HttpExchange exchange) {
    Reply reply = new Reply(exchange);
    try {
      route(exchange, reply);
    } catch (IOException e) {
      LOG.log(Level.FINE, "MCP client connection failed", e);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "MCP gateway failed for " + exchange.getRequestURI().getPath(), e);
      if (!reply.started()) {
        try {
          reply.json(
              500,
              JsonRpc.error(
                  null, JsonRpc.INTERNAL_ERROR, "internal error in the Tollgate MCP gateway"));
        } catch (IOException | RuntimeException ignored) {
          // nothing more to do
        }
      }
    } finally {
      reply.close();
    }
  }

  private void route(HttpExchange exchange, Reply reply) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String rest = path.startsWith(PATH) ? path.substring(PATH.length()) : "";
    String name = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
    if (!SERVER_NAME.matcher(name).matches()) {
      reply.json(404, JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "no MCP server at " + path));
      return;
    }
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (origin != null && !McpHeaders.localOrigin(origin)) {
      reply.json(
          403,
          JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "Origin " + origin + " is not allowed"));
      return;
    }
    Optional<PolicyEngine> engine = state.engine();
    Bundle.McpServer server = engine.flatMap(e -> find(e.bundle(), name)).orElse(null);
    switch (exchange.getRequestMethod()) {
      case "POST" -> posts.handle(exchange, reply, name, server, engine.orElse(null));
      case "GET", "DELETE" -> {
        if (server == null) {
          unknownServer(reply, name, engine.isPresent());
        } else {
          passThrough.handle(exchange, reply, server);
        }
      }
      default -> {
        reply.header("Allow", "GET, POST, DELETE");
        reply.json(
            405,
            JsonRpc.error(
                null, JsonRpc.INVALID_REQUEST, "method not allowed; use POST, GET or DELETE"));
      }
    }
  }

  private static Optional<Bundle.McpServer> find(Bundle bundle, String name) {
    return bundle.mcpServers().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  private void unknownServer(Reply reply, String name, boolean bundleLoaded) throws IOException {
    reply.json(
        bundleLoaded ? 404 : 503,
        JsonRpc.error(
            null,
            JsonRpc.INTERNAL_ERROR,
            bundleLoaded
                ? "no MCP server '" + name + "' in the policy bundle"
                : "no valid policy bundle is loaded: " + state.problem()));
  }
}
