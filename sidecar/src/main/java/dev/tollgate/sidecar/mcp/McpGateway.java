package dev.tollgate.sidecar.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tollgate.engine.model.McpToolName;
import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.decision.Reason;
import dev.tollgate.sidecar.authz.PodContext;
import dev.tollgate.sidecar.authz.ToolCall;
import dev.tollgate.sidecar.authz.ToolCallAuthorizer;
import dev.tollgate.sidecar.policy.PolicyState;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * {@code /mcp/<server>}: the MCP Streamable HTTP gateway to the bundle's {@code mcpServers}
 * (docs/design.md §4.3). Every {@code tools/call} is decided by the {@link ToolCallAuthorizer} before it
 * is forwarded, {@code tools/list} answers keep only what scope and policy let the agent see, and
 * the upstream credential, read from the sidecar-only mount, is added here: the agent never has it.
 *
 * <p>The JDK server's handler threads only hand the exchange over: upstream calls and SSE streams
 * run on the gateway's own bounded pool (full → 503), and SSE is relayed event by event.
 *
 * <p>Both transport generations: session-based (2024-11-05 … 2025-11-25: {@code initialize},
 * {@code Mcp-Session-Id}, GET streams, DELETE, batches in 2025-03-26) and stateless 2026-07-28
 * ({@code MCP-Protocol-Version} on every request, {@code Mcp-Method} / {@code Mcp-Name} checked
 * against the body, no session).
 */
public final class McpGateway implements HttpHandler, AutoCloseable {

  public static final String PATH = "/mcp/";
  /** 2026-07-28: the long-lived stream of change notifications (list_changed), exempt from the read timeout. */
  static final String LISTEN = "subscriptions/listen";

  static final String SOURCE = "mcp";
  static final String MODERN = "2026-07-28";
  static final String LATEST_SESSION = "2025-11-25";
  /** Newest first. */
  static final List<String> SUPPORTED = List.of(MODERN, "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
  static final List<String> SESSION_VERSIONS = SUPPORTED.subList(1, SUPPORTED.size());
  /** When a request names no version and its session is unknown (MCP: assume 2025-03-26). */
  static final String DEFAULT_VERSION = "2025-03-26";

  /** Passed whatever {@code --mcp-other-methods} says: without them nothing works. */
  static final Set<String> LIFECYCLE = Set.of("initialize", "notifications/initialized", "ping", "server/discover",
      "notifications/cancelled", LISTEN);
  static final Set<String> NAMED_METHODS = Set.of("tools/call", "resources/read", "prompts/get");

  private static final Logger LOG = Logger.getLogger(McpGateway.class.getName());
  private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,62}");
  private static final int MAX_SESSIONS = 10_000;
  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);
  private static final Set<String> FORWARDED_REQUEST_HEADERS = Set.of("mcp-protocol-version", "mcp-session-id",
      "last-event-id", "mcp-method", "mcp-name");

  private final McpSettings settings;
  private final PolicyState state;
  private final ToolCallAuthorizer authorizer;
  private final ToolCatalog catalog;
  // Made on the first upstream request: most sidecars guard no MCP server, and the JDK client
  // (its module, TLS setup and selector thread) cost start-up time and resident memory.
  private volatile HttpClient http;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService watchdog;
  /** Session id → negotiated protocol version, learned from initialize answers. */
  private final Map<String, String> sessions = new ConcurrentHashMap<>();

  public McpGateway(McpSettings settings, PolicyState state, ToolCallAuthorizer authorizer, PodContext pod, Clock clock) {
    this.settings = settings;
    this.state = state;
    this.authorizer = authorizer;
    this.catalog = new ToolCatalog(new ToolVisibility(pod, clock));
    AtomicInteger counter = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(Math.max(16, settings.threads())), runnable -> {
          Thread thread = new Thread(runnable, "tollgate-mcp-" + counter.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    this.workers.allowCoreThreadTimeOut(true);
    this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "tollgate-mcp-watchdog");
      thread.setDaemon(true);
      return thread;
    });
  }

  private HttpClient http() {
    HttpClient client = http;
    if (client == null) {
      synchronized (this) {
        client = http;
        if (client == null) {
          client = HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(settings.connectTimeout())
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
          http = client;
        }
      }
    }
    return client;
  }

  /**
   * The annotations the gateway last saw listed for an agent-side MCP tool name
   * ({@code mcp__<server>__<tool>}), or null: Claude Code's hooks decide MCP calls too, and must
   * see the same {@code resource.annotations} as the gateway.
   */
  public JsonNode annotationsOf(String agentSideTool) {
    return McpToolName.parse(agentSideTool).map(name -> catalog.annotations(name.server(), name.tool())).orElse(null);
  }

  @Override
  public void handle(HttpExchange exchange) {
    try {
      workers.execute(() -> serve(exchange));
    } catch (RejectedExecutionException e) {
      Reply reply = new Reply(exchange);
      try {
        reply.header("Retry-After", "1");
        reply.json(503, JsonRpc.error(null, JsonRpc.INTERNAL_ERROR, "the Tollgate MCP gateway is busy; retry"));
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
    watchdog.shutdownNow();
  }

  // ---------------------------------------------------------------------------------------------
  // Routing

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
          reply.json(500, JsonRpc.error(null, JsonRpc.INTERNAL_ERROR, "internal error in the Tollgate MCP gateway"));
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
    if (origin != null && !localOrigin(origin)) {
      reply.json(403, JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "Origin " + origin + " is not allowed"));
      return;
    }
    Optional<PolicyEngine> engine = state.engine();
    Bundle.McpServer server = engine.flatMap(e -> find(e.bundle(), name)).orElse(null);
    switch (exchange.getRequestMethod()) {
      case "POST" -> post(exchange, reply, name, server, engine.orElse(null));
      case "GET", "DELETE" -> {
        if (server == null) {
          unknownServer(reply, name, engine.isPresent());
        } else {
          passThrough(exchange, reply, server);
        }
      }
      default -> {
        reply.header("Allow", "GET, POST, DELETE");
        reply.json(405, JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "method not allowed; use POST, GET or DELETE"));
      }
    }
  }

  private static Optional<Bundle.McpServer> find(Bundle bundle, String name) {
    return bundle.mcpServers().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  private static boolean localOrigin(String origin) {
    try {
      String host = URI.create(origin).getHost();
      return host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]")
          || host.equals("::1"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private void unknownServer(Reply reply, String name, boolean bundleLoaded) throws IOException {
    reply.json(bundleLoaded ? 404 : 503, JsonRpc.error(null, JsonRpc.INTERNAL_ERROR, bundleLoaded
        ? "no MCP server '" + name + "' in the policy bundle"
        : "no valid policy bundle is loaded: " + state.problem()));
  }

  // ---------------------------------------------------------------------------------------------
  // POST: the JSON-RPC messages

  /** What one POST is doing: the calls in flight, for their outcome, and the local answers. */
  private static final class Post {
    final String server;
    final String sessionId;
    final String version;
    final boolean batch;
    final List<JsonNode> forwarded = new ArrayList<>();
    final List<JsonNode> local = new ArrayList<>();
    /** id key → the tools/call forwarded with it. */
    final Map<String, ToolCall> calls = new ConcurrentHashMap<>();
    /** id keys of the forwarded requests not answered yet. */
    final Map<String, JsonNode> pending = new LinkedHashMap<>();
    final Set<String> initializeIds = ConcurrentHashMap.newKeySet();
    PolicyEngine engine;
    String initializedVersion;
    boolean longLived;

    Post(String server, String sessionId, String version, boolean batch) {
      this.server = server;
      this.sessionId = sessionId;
      this.version = version;
      this.batch = batch;
    }
  }

  private void post(HttpExchange exchange, Reply reply, String name, Bundle.McpServer server, PolicyEngine engine)
      throws IOException {
    String sessionId = exchange.getRequestHeaders().getFirst("Mcp-Session-Id");
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(settings.maxRequestBytes() + 1);
      if (body.length > settings.maxRequestBytes()) {
        drainRequest(in); // let a client still sending read the answer; past a bound the connection goes
        refuse(name, sessionId, null, null, "MCP request body is larger than " + settings.maxRequestBytes() + " bytes");
        reply.json(413, JsonRpc.error(null, JsonRpc.INVALID_REQUEST,
            "request body is larger than " + settings.maxRequestBytes() + " bytes"));
        return;
      }
    }
    JsonNode parsed;
    try {
      parsed = JsonRpc.JSON.readTree(body);
      if (parsed == null || !(parsed.isObject() || parsed.isArray())) {
        throw new JsonProcessingException("not a JSON-RPC object or batch") { };
      }
    } catch (JsonProcessingException e) {
      refuse(name, sessionId, null, null, "malformed MCP message: " + e.getOriginalMessage());
      reply.json(400, JsonRpc.error(null, JsonRpc.PARSE_ERROR, "Parse error: " + e.getOriginalMessage()));
      return;
    }

    String header = exchange.getRequestHeaders().getFirst("MCP-Protocol-Version");
    boolean modern = MODERN.equals(header);
    if (header != null && !SUPPORTED.contains(header) && !containsInitialize(parsed)) {
      ObjectNode data = JsonRpc.JSON.createObjectNode();
      SUPPORTED.forEach(data.putArray("supported")::add);
      data.put("requested", header);
      reply.json(400, JsonRpc.error(idOf(parsed), JsonRpc.UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version",
          data));
      return;
    }
    String version = header != null ? header
        : sessionId != null && sessions.containsKey(sessionId) ? sessions.get(sessionId) : DEFAULT_VERSION;
    List<JsonNode> messages = new ArrayList<>();
    if (parsed.isArray()) {
      if (parsed.isEmpty()) {
        reply.json(400, JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "Invalid Request: empty batch"));
        return;
      }
      if (!version.equals("2025-03-26") || containsInitialize(parsed)) {
        reply.json(400, JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "Invalid Request: JSON-RPC batches are "
            + (containsInitialize(parsed) ? "not allowed to carry initialize" : "not supported in protocol version " + version)));
        return;
      }
      parsed.forEach(messages::add);
    } else {
      messages.add(parsed);
    }
    if (modern) {
      String mismatch = headerMismatch(exchange, parsed);
      if (mismatch != null) {
        reply.json(400, JsonRpc.error(idOf(parsed), JsonRpc.HEADER_MISMATCH, "Header mismatch: " + mismatch));
        return;
      }
    }

    Post post = new Post(name, sessionId, version, parsed.isArray());
    post.engine = engine;
    for (JsonNode message : messages) {
      admit(post, message, server != null);
    }
    if (server == null) {
      // Nothing goes anywhere: the tool calls were refused (and audited) above.
      for (JsonNode message : post.forwarded) {
        if (JsonRpc.isRequest(message)) {
          post.local.add(JsonRpc.error(message.get("id"), JsonRpc.INTERNAL_ERROR, engine == null
              ? "no valid policy bundle is loaded" : "no MCP server '" + name + "' in the policy bundle"));
        }
      }
      post.forwarded.clear();
    }
    if (post.forwarded.isEmpty()) {
      answerLocally(reply, post, server != null ? 200 : engine == null ? 503 : 404);
      return;
    }
    byte[] upstreamBody = !post.batch && post.forwarded.get(0) == parsed
        ? body : JsonRpc.JSON.writeValueAsBytes(post.batch ? arrayOf(post.forwarded) : post.forwarded.get(0));
    HttpRequest.Builder request;
    try {
      request = upstreamRequest(exchange, server);
    } catch (UpstreamException e) {
      upstreamFailed(reply, post, e.getMessage());
      return;
    }
    request.header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .timeout(settings.readTimeout())
        .POST(HttpRequest.BodyPublishers.ofByteArray(upstreamBody));
    exchange(reply, post, request, server);
  }

  /** Decides what happens to one message: forwarded, answered here, or dropped. */
  private void admit(Post post, JsonNode message, boolean serverKnown) {
    if (!JsonRpc.isWellFormed(message)) {
      JsonNode id = message.isObject() && JsonRpc.validId(message.get("id")) ? message.get("id") : null;
      if (message.isObject() && "tools/call".equals(message.path("method").asText(null))) {
        refuse(post.server, post.sessionId, id, message.path("params"), "malformed JSON-RPC tools/call");
      }
      post.local.add(JsonRpc.error(id, JsonRpc.INVALID_REQUEST, "Invalid Request"));
      return;
    }
    if (JsonRpc.isResponse(message)) {
      post.forwarded.add(message); // the client answering a server request (sampling, elicitation, roots)
      return;
    }
    String method = JsonRpc.method(message);
    boolean request = JsonRpc.isRequest(message);
    JsonNode id = message.get("id");
    if (method.equals("tools/call")) {
      if (!request) {
        refuse(post.server, post.sessionId, null, message.path("params"), "tools/call sent as a notification");
        return;
      }
      decideCall(post, message, serverKnown);
      return;
    }
    if (method.equals("tools/list") || LIFECYCLE.contains(method) || settings.otherMethods()) {
      if (method.equals("initialize") && request) {
        message = negotiate(message);
        post.initializeIds.add(JsonRpc.idKey(id));
      }
      post.longLived |= method.equals(LISTEN);
      forward(post, message);
      return;
    }
    if (request) {
      post.local.add(JsonRpc.error(id, JsonRpc.METHOD_NOT_FOUND,
          "Method not allowed through the Tollgate MCP gateway: " + method));
    }
    // A notification the gateway does not pass is dropped: it has no answer to give.
  }

  private static void forward(Post post, JsonNode message) {
    post.forwarded.add(message);
    if (JsonRpc.isRequest(message)) {
      post.pending.put(JsonRpc.idKey(message.get("id")), message.get("id"));
    }
  }

  /** A client asking for a version newer than the gateway knows is offered the newest it knows. */
  private static JsonNode negotiate(JsonNode initialize) {
    String requested = initialize.path("params").path("protocolVersion").asText("");
    if (SESSION_VERSIONS.contains(requested) || requested.compareTo(LATEST_SESSION) < 0
        || !initialize.path("params").isObject()) {
      return initialize;
    }
    ObjectNode copy = initialize.deepCopy();
    ((ObjectNode) copy.get("params")).put("protocolVersion", LATEST_SESSION);
    return copy;
  }

  private void decideCall(Post post, JsonNode message, boolean serverKnown) {
    JsonNode id = message.get("id");
    JsonNode params = message.path("params");
    JsonNode nameNode = params.path("name");
    JsonNode arguments = params.has("arguments") ? params.get("arguments") : JsonRpc.JSON.createObjectNode();
    if (!nameNode.isTextual() || nameNode.asText().isEmpty() || !arguments.isObject()) {
      refuse(post.server, post.sessionId, id, params, !nameNode.isTextual() || nameNode.asText().isEmpty()
          ? "tools/call without a tool name" : "tools/call arguments must be a JSON object");
      post.local.add(JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Invalid params: "
          + (!arguments.isObject() ? "arguments must be an object" : "name is required")));
      return;
    }
    String tool = nameNode.asText();
    if (!serverKnown) {
      refuse(post.server, post.sessionId, id, params, post.engine == null
          ? "no valid policy bundle is loaded" : "no MCP server '" + post.server + "' in the policy bundle");
      post.local.add(unknownTool(id, tool));
      return;
    }
    ToolCall call = new ToolCall(correlationId(id), SOURCE, post.sessionId,
        ToolCatalog.agentSideName(post.server, tool), arguments, null)
        .withAnnotations(catalog.annotations(post.server, tool));
    // Held like a hook call when it needs approval (on the gateway's own pool, never the decision threads).
    Decision decision = authorizer.authorizeHeld(call, "").join();
    if (decision.outcome() == Outcome.ALLOW) {
      post.calls.put(JsonRpc.idKey(id), call);
      forward(post, message);
      return;
    }
    boolean hidden = decision.reasons().contains(Reason.OutOfScope)
        || post.engine == null || !catalog.visible(post.server, post.engine, tool);
    if (hidden) {
      post.local.add(unknownTool(id, tool));
    } else if (settings.denial() == McpSettings.Denial.RESULT) {
      post.local.add(JsonRpc.toolError(id, "Tollgate denied this call: " + decision.summary()));
    } else {
      post.local.add(JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Tool call denied by Tollgate: " + decision.summary()));
    }
  }

  /** The same answer for a tool that does not exist and one the agent may not see (scope cannot be probed). */
  private static ObjectNode unknownTool(JsonNode id, String tool) {
    return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Unknown tool: " + tool);
  }

  /** Audits a request too broken (or misdirected) to decide: a denied attempt. */
  private void refuse(String server, String sessionId, JsonNode id, JsonNode params, String why) {
    String tool = params != null && params.path("name").isTextual()
        ? ToolCatalog.agentSideName(server, params.get("name").asText()) : null;
    JsonNode args = params != null && params.path("arguments").isObject() ? params.get("arguments") : null;
    authorizer.refuse(new ToolCall(id == null ? "mcp-" + UUID.randomUUID() : correlationId(id), SOURCE, sessionId,
        tool, args, null), why);
  }

  private static String correlationId(JsonNode id) {
    String text = JsonRpc.idText(id);
    return text.isEmpty() ? "mcp-" + UUID.randomUUID() : text;
  }

  private static boolean containsInitialize(JsonNode parsed) {
    if (parsed.isArray()) {
      for (JsonNode message : parsed) {
        if ("initialize".equals(message.path("method").asText(null))) {
          return true;
        }
      }
      return false;
    }
    return "initialize".equals(parsed.path("method").asText(null));
  }

  private static JsonNode idOf(JsonNode parsed) {
    return parsed.isObject() && JsonRpc.validId(parsed.get("id")) ? parsed.get("id") : null;
  }

  /**
   * 2026-07-28: {@code Mcp-Method} must be the body's method and {@code Mcp-Name} its
   * {@code params.name} / {@code params.uri} (decoded from {@code =?base64?…?=}); the body's
   * {@code _meta} protocol version, when present, must be the header's. Decisions are taken on
   * the body; a mismatch is refused so nothing downstream trusts a header the body contradicts.
   */
  static String headerMismatch(HttpExchange exchange, JsonNode parsed) {
    if (!parsed.isObject()) {
      return "JSON-RPC batches are not part of protocol version " + MODERN;
    }
    String method = exchange.getRequestHeaders().getFirst("Mcp-Method");
    String bodyMethod = parsed.path("method").asText(null);
    if (bodyMethod == null) {
      return null; // a response: no request metadata
    }
    if (method == null) {
      return "the Mcp-Method header is required";
    }
    if (!method.equals(bodyMethod)) {
      return "Mcp-Method header value '" + method + "' does not match body value '" + bodyMethod + "'";
    }
    String meta = parsed.path("params").path("_meta").path("io.modelcontextprotocol/protocolVersion").asText(null);
    String version = exchange.getRequestHeaders().getFirst("MCP-Protocol-Version");
    if (meta != null && !meta.equals(version)) {
      return "MCP-Protocol-Version header value '" + version + "' does not match body value '" + meta + "'";
    }
    if (NAMED_METHODS.contains(bodyMethod)) {
      JsonNode source = parsed.path("params").path(bodyMethod.equals("resources/read") ? "uri" : "name");
      String name = exchange.getRequestHeaders().getFirst("Mcp-Name");
      if (name == null) {
        return "the Mcp-Name header is required for " + bodyMethod;
      }
      String decoded = decodeHeader(name);
      if (decoded == null || !source.isTextual() || !decoded.equals(source.asText())) {
        return "Mcp-Name header value '" + name + "' does not match body value '" + source.asText("") + "'";
      }
    }
    return null;
  }

  /** A header value, decoded from the {@code =?base64?…?=} sentinel; null when it is not valid. */
  static String decodeHeader(String value) {
    if (value.startsWith("=?base64?") && value.endsWith("?=") && value.length() >= 11) {
      try {
        return new String(Base64.getDecoder().decode(value.substring(9, value.length() - 2)), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return value;
  }

  private static ArrayNode arrayOf(List<JsonNode> messages) {
    ArrayNode array = JsonRpc.JSON.createArrayNode();
    messages.forEach(array::add);
    return array;
  }

  private static void answerLocally(Reply reply, Post post) throws IOException {
    answerLocally(reply, post, 200);
  }

  private static void answerLocally(Reply reply, Post post, int status) throws IOException {
    if (post.local.isEmpty()) {
      reply.empty(status == 200 ? 202 : status);
    } else if (post.batch) {
      reply.json(status, arrayOf(post.local));
    } else {
      reply.json(status, post.local.get(0));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Upstream

  private HttpRequest.Builder upstreamRequest(HttpExchange exchange, Bundle.McpServer server) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url()));
    exchange.getRequestHeaders().forEach((headerName, values) -> {
      String lower = headerName.toLowerCase(Locale.ROOT);
      if (FORWARDED_REQUEST_HEADERS.contains(lower) || lower.startsWith("mcp-param-")) {
        values.forEach(value -> request.header(headerName, value));
      }
    });
    String credential = credential(server);
    if (credential != null) {
      request.header("Authorization", "Bearer " + credential);
    }
    return request;
  }

  /** The server's credential from the sidecar-only mount, read per request (a rotated Secret applies at once). */
  private String credential(Bundle.McpServer server) throws IOException {
    if (server.credentialsSecretRef() == null) {
      return null;
    }
    Path file = settings.credentialsDir().resolve(server.name()).resolve("token");
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
        throw new UpstreamException("the credential for MCP server '" + server.name() + "' is empty or not printable");
      }
      return token;
    } catch (NoSuchFileException e) {
      throw new UpstreamException("the credential for MCP server '" + server.name() + "' is not mounted at " + file);
    }
  }

  /** The upstream could not be used (down, too slow, garbage, missing credential). */
  static final class UpstreamException extends IOException {
    private static final long serialVersionUID = 1L;

    UpstreamException(String message) {
      super(message);
    }
  }

  private void exchange(Reply reply, Post post, HttpRequest.Builder request, Bundle.McpServer server)
      throws IOException {
    HttpResponse<InputStream> response;
    try {
      response = http().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (UpstreamException e) {
      upstreamFailed(reply, post, e.getMessage());
      return;
    } catch (HttpConnectTimeoutException e) {
      upstreamFailed(reply, post, "connecting to MCP server '" + server.name() + "' timed out");
      return;
    } catch (HttpTimeoutException e) {
      upstreamFailed(reply, post, "MCP server '" + server.name() + "' did not answer within "
          + settings.readTimeout().toMillis() + " ms");
      return;
    } catch (ConnectException e) {
      upstreamFailed(reply, post, "MCP server '" + server.name() + "' is unreachable (connection refused)");
      return;
    } catch (IOException e) {
      upstreamFailed(reply, post, "MCP server '" + server.name() + "' failed: " + describe(e));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      upstreamFailed(reply, post, "the gateway is shutting down");
      return;
    }
    try (InputStream body = response.body()) {
      Guarded guarded = new Guarded(body, post.longLived ? Long.MAX_VALUE : settings.readTimeout().toNanos());
      ScheduledFuture<?> watch = watch(guarded, reply, !post.longLived);
      try {
        relay(reply, post, response, guarded, server);
      } finally {
        watch.cancel(false);
      }
    }
  }

  private void relay(Reply reply, Post post, HttpResponse<InputStream> response, Guarded body,
      Bundle.McpServer server) throws IOException {
    int status = response.statusCode();
    String contentType = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    Optional<String> session = response.headers().firstValue("Mcp-Session-Id");
    session.ifPresent(value -> reply.header("Mcp-Session-Id", value));
    if (status == 202 || (status >= 200 && status < 300 && post.pending.isEmpty())) {
      drain(body);
      answerLocally(reply, post);
      return;
    }
    if (contentType.startsWith("text/event-stream") && status == 200) {
      reply.startStream();
      for (JsonNode local : post.local) {
        reply.event(SseEvent.message(local.toString()));
      }
      stream(reply, post, body, session.orElse(post.sessionId), server);
      return;
    }
    byte[] bytes;
    try {
      bytes = readBounded(body);
    } catch (UpstreamException e) {
      upstreamFailed(reply, post, e.getMessage());
      return;
    }
    JsonNode parsed = null;
    if (contentType.startsWith("application/json")) {
      try {
        parsed = JsonRpc.JSON.readTree(bytes);
      } catch (JsonProcessingException e) {
        parsed = null;
      }
    }
    if (parsed == null || !(parsed.isObject() || parsed.isArray())) {
      upstreamFailed(reply, post, status >= 400
          ? "MCP server '" + server.name() + "' answered HTTP " + status
          : "MCP server '" + server.name() + "' sent a response that is not JSON-RPC (" + (contentType.isEmpty()
              ? "no content type" : contentType) + ")", status >= 400 && status < 500 ? status : 200);
      return;
    }
    if (status >= 400) {
      // The upstream refused the request (unsupported version, unknown or expired session...):
      // its own answer goes back as it is, so the client can react (re-initialize, fall back).
      failPending(post, new ArrayList<>(), "MCP server '" + server.name() + "' answered HTTP " + status);
      reply.json(status, parsed);
      return;
    }
    List<JsonNode> out = new ArrayList<>(post.local);
    if (parsed.isArray()) {
      for (JsonNode message : parsed) {
        JsonNode kept = fromUpstream(post, message, session.orElse(post.sessionId));
        if (kept != null) {
          out.add(kept);
        }
      }
    } else {
      JsonNode kept = fromUpstream(post, parsed, session.orElse(post.sessionId));
      if (kept != null) {
        out.add(kept);
      }
    }
    failPending(post, out, "MCP server '" + server.name() + "' did not answer this request");
    if (out.isEmpty()) {
      reply.empty(202);
    } else {
      reply.json(status, post.batch || out.size() > 1 ? arrayOf(out) : out.get(0));
    }
  }

  /** Relays an upstream SSE stream event by event, processing each JSON-RPC message. */
  private void stream(Reply reply, Post post, Guarded body, String sessionId, Bundle.McpServer server)
      throws IOException {
    SseReader reader = new SseReader(body, settings.maxResponseBytes());
    String failure = null;
    try {
      SseEvent event;
      while ((event = reader.next()) != null) {
        if (event.isComment() || !event.isMessage() || event.data().isBlank()) {
          reply.event(event); // keep-alives, resumption primers, other event types
          continue;
        }
        JsonNode message;
        try {
          message = JsonRpc.JSON.readTree(event.data());
        } catch (JsonProcessingException e) {
          LOG.fine("dropped an SSE event from MCP server '" + server.name() + "' that is not JSON");
          continue;
        }
        if (message == null || !message.isObject()) {
          continue;
        }
        JsonNode kept = fromUpstream(post, message, sessionId);
        if (kept != null) {
          reply.event(kept == message ? event : event.withData(kept.toString()));
        }
      }
    } catch (SseReader.TooLargeException e) {
      failure = e.getMessage();
    } catch (IOException e) {
      if (body.clientGone.get()) {
        throw e;
      }
      failure = body.timedOut.get()
          ? "MCP server '" + server.name() + "' sent nothing for " + settings.readTimeout().toMillis() + " ms"
          : "the stream from MCP server '" + server.name() + "' broke: " + describe(e);
    }
    if (failure != null && post != null) {
      List<JsonNode> errors = new ArrayList<>();
      failPending(post, errors, failure);
      for (JsonNode error : errors) {
        reply.event(SseEvent.message(error.toString()));
      }
    }
  }

  /**
   * One message from the upstream, on its way to the agent: tool lists filtered, tool call
   * outcomes audited, initialize answers checked. Returns what to relay (null for nothing).
   */
  private JsonNode fromUpstream(Post post, JsonNode message, String sessionId) {
    if (!JsonRpc.isResponse(message)) {
      return message; // server notifications (list_changed, progress, logging) and server requests
    }
    String key = JsonRpc.idKey(message.get("id"));
    JsonNode result = message.get("result");
    JsonNode out = message;
    if (ToolCatalog.isToolList(result)) {
      PolicyEngine engine = state.engine().orElse(null);
      ObjectNode copy = message.deepCopy();
      copy.set("result", catalog.filter(post == null ? "" : post.server, engine, result));
      out = copy;
    }
    if (post == null) {
      return out;
    }
    post.pending.remove(key);
    if (post.initializeIds.contains(key) && result != null) {
      String version = result.path("protocolVersion").asText("");
      if (!SESSION_VERSIONS.contains(version)) {
        ObjectNode data = JsonRpc.JSON.createObjectNode();
        SESSION_VERSIONS.forEach(data.putArray("supported")::add);
        data.put("requested", version);
        return JsonRpc.error(message.get("id"), JsonRpc.INVALID_PARAMS,
            "Unsupported protocol version (from the upstream MCP server)", data);
      }
      post.initializedVersion = version;
      if (sessionId != null) {
        if (sessions.size() >= MAX_SESSIONS) {
          sessions.clear(); // a bound, not a cache policy: a forgotten session falls back to its header
        }
        sessions.put(sessionId, version);
      }
    }
    ToolCall call = post.calls.remove(key);
    if (call != null) {
      JsonNode error = message.get("error");
      if (error != null) {
        authorizer.recordOutcome(call, true, error.path("message").isTextual() ? error.get("message") : error);
      } else if (result != null && result.path("isError").asBoolean(false)) {
        authorizer.recordOutcome(call, true, resultText(result));
      } else if (result != null && result.has("inputRequests") && !result.has("content")) {
        // 2026-07-28 multi round-trip: not run yet; the retry with the answers is decided again.
        LOG.fine("tools/call " + call.correlationId() + " asks the client for input");
      } else {
        authorizer.recordOutcome(call, false, null);
      }
    }
    return out;
  }

  private static JsonNode resultText(JsonNode result) {
    StringBuilder text = new StringBuilder();
    for (JsonNode block : result.path("content")) {
      if (block.path("text").isTextual()) {
        if (text.length() > 0) {
          text.append('\n');
        }
        text.append(block.get("text").asText());
      }
    }
    return JsonRpc.JSON.getNodeFactory().textNode(text.length() == 0 ? "tool returned isError" : text.toString());
  }

  /** Answers every forwarded request still unanswered with -32603, and audits the tool calls among them as failed. */
  private void failPending(Post post, List<JsonNode> out, String why) {
    for (JsonNode id : List.copyOf(post.pending.values())) {
      String key = JsonRpc.idKey(id);
      post.pending.remove(key);
      out.add(JsonRpc.error(id, JsonRpc.INTERNAL_ERROR, why));
      ToolCall call = post.calls.remove(key);
      if (call != null) {
        authorizer.recordOutcome(call, true, JsonRpc.JSON.getNodeFactory().textNode(why));
      }
    }
  }

  private void upstreamFailed(Reply reply, Post post, String why) throws IOException {
    upstreamFailed(reply, post, why, 200);
  }

  /**
   * The upstream could not be used: each forwarded request gets a JSON-RPC error -32603 naming
   * why, tool calls are audited as failed; a POST of notifications only gets 502.
   */
  private void upstreamFailed(Reply reply, Post post, String why, int status) throws IOException {
    LOG.warning(why);
    List<JsonNode> out = new ArrayList<>(post.local);
    failPending(post, out, why);
    if (out.isEmpty()) {
      reply.json(502, JsonRpc.error(null, JsonRpc.INTERNAL_ERROR, why));
    } else {
      reply.json(status, post.batch || out.size() > 1 ? arrayOf(out) : out.get(0));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // GET (the session's server stream) and DELETE (ending the session)

  private void passThrough(HttpExchange exchange, Reply reply, Bundle.McpServer server) throws IOException {
    boolean get = exchange.getRequestMethod().equals("GET");
    exchange.getRequestBody().close();
    HttpRequest.Builder request;
    try {
      request = upstreamRequest(exchange, server);
    } catch (UpstreamException e) {
      reply.json(502, JsonRpc.error(null, JsonRpc.INTERNAL_ERROR, e.getMessage()));
      return;
    }
    request.timeout(settings.readTimeout());
    if (get) {
      request.header("Accept", "text/event-stream").GET();
    } else {
      request.DELETE();
    }
    HttpResponse<InputStream> response;
    try {
      response = http().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      reply.json(502, JsonRpc.error(null, JsonRpc.INTERNAL_ERROR,
          "MCP server '" + server.name() + "' is unreachable: " + describe(e)));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    String sessionId = exchange.getRequestHeaders().getFirst("Mcp-Session-Id");
    if (!get && sessionId != null && response.statusCode() < 300) {
      sessions.remove(sessionId);
    }
    try (InputStream body = response.body()) {
      String contentType = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
      response.headers().firstValue("Allow").ifPresent(value -> reply.header("Allow", value));
      if (get && response.statusCode() == 200 && contentType.startsWith("text/event-stream")) {
        // Server-initiated messages for the session; no read timeout (it may be quiet for long).
        Guarded guarded = new Guarded(body, Long.MAX_VALUE);
        ScheduledFuture<?> watch = watch(guarded, reply, false);
        try {
          reply.startStream();
          Post none = new Post(server.name(), sessionId, DEFAULT_VERSION, false);
          stream(reply, none, guarded, sessionId, server);
        } finally {
          watch.cancel(false);
        }
        return;
      }
      byte[] bytes;
      try {
        bytes = readBounded(new Guarded(body, Long.MAX_VALUE));
      } catch (UpstreamException e) {
        bytes = new byte[0];
      }
      JsonNode json = null;
      try {
        json = bytes.length == 0 ? null : JsonRpc.JSON.readTree(bytes);
      } catch (JsonProcessingException e) {
        json = null;
      }
      if (json != null && (json.isObject() || json.isArray())) {
        reply.json(response.statusCode(), json);
      } else {
        reply.empty(response.statusCode());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading upstream bodies within bounds

  private byte[] readBounded(InputStream body) throws IOException {
    byte[] bytes = body.readNBytes(settings.maxResponseBytes() + 1);
    if (bytes.length > settings.maxResponseBytes()) {
      throw new UpstreamException("the MCP server's response is larger than " + settings.maxResponseBytes() + " bytes");
    }
    return bytes;
  }

  private static void drainRequest(InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = 16L << 20;
    int read;
    while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
      left -= read;
    }
  }

  private static void drain(InputStream body) {
    try {
      body.skip(1 << 20);
    } catch (IOException ignored) {
      // the body is not needed
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /**
   * An upstream body that the watchdog closes when it stays silent for longer than the read
   * timeout, or when the client went away (a keep-alive write failed).
   */
  static final class Guarded extends InputStream {
    final InputStream in;
    final long timeoutNanos;
    final AtomicLong lastRead = new AtomicLong(System.nanoTime());
    final AtomicBoolean timedOut = new AtomicBoolean();
    final AtomicBoolean clientGone = new AtomicBoolean();

    Guarded(InputStream in, long timeoutNanos) {
      this.in = in;
      this.timeoutNanos = timeoutNanos;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      lastRead.set(System.nanoTime());
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      lastRead.set(System.nanoTime());
      if (n < 0 && timedOut.get()) {
        throw new HttpTimeoutException("read timed out");
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }

    void check() {
      if (timeoutNanos != Long.MAX_VALUE && System.nanoTime() - lastRead.get() > timeoutNanos) {
        timedOut.set(true);
        abort();
      }
    }

    void abort() {
      try {
        in.close();
      } catch (IOException ignored) {
        // closing is all that is wanted
      }
    }
  }

  private ScheduledFuture<?> watch(Guarded body, Reply reply, boolean bounded) {
    long period = bounded ? Math.max(10, Math.min(1_000, settings.readTimeout().toMillis() / 4)) : 1_000;
    return watchdog.scheduleAtFixedRate(() -> {
      body.check();
      try {
        reply.keepAliveIfQuiet(KEEP_ALIVE_NANOS);
      } catch (IOException | RuntimeException e) {
        body.clientGone.set(true);
        body.abort();
      }
    }, period, period, TimeUnit.MILLISECONDS);
  }
}
