package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.decision.PolicyEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * POST {@code /mcp/<server>}: the JSON-RPC messages of the agent. Checks the body, the protocol
 * version and (2026-07-28) the headers against the body, then decides what happens to each message:
 * forwarded, answered here, or dropped; what is forwarded goes to the {@link PostForwarder}.
 */
final class PostHandler {

  private final McpSettings settings;
  private final ToolDecisions decisions;
  private final SessionVersions sessions;
  private final UpstreamClient upstream;
  private final PostForwarder forwarder;

  PostHandler(
      McpSettings settings,
      ToolDecisions decisions,
      SessionVersions sessions,
      UpstreamClient upstream,
      PostForwarder forwarder) {
    this.settings = settings;
    this.decisions = decisions;
    this.sessions = sessions;
    this.upstream = upstream;
    this.forwarder = forwarder;
  }

  /**
   * @param server the bundle's server of that name, or null when there is none
   * @param engine the policy in force, or null without a valid bundle
   */
  void handle(
      HttpExchange exchange, Reply reply, String name, Bundle.McpServer server, PolicyEngine engine)
      throws IOException {
    Headers headers = exchange.getRequestHeaders();
    String sessionId = headers.getFirst(McpHeaders.SESSION_ID);
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(settings.maxRequestBytes() + 1);
      if (body.length > settings.maxRequestBytes()) {
        drainRequest(
            in); // let a client still sending read the answer; past a bound the connection goes
        decisions.refuse(
            name,
            sessionId,
            null,
            null,
            "MCP request body is larger than " + settings.maxRequestBytes() + " bytes");
        reply.json(
            413,
            JsonRpc.error(
                null,
                JsonRpc.INVALID_REQUEST,
                "request body is larger than " + settings.maxRequestBytes() + " bytes"));
        return;
      }
    }
    JsonNode parsed;
    try {
      parsed = JsonRpc.JSON.readTree(body);
      if (parsed == null || !(parsed.isObject() || parsed.isArray())) {
        throw new JsonProcessingException("not a JSON-RPC object or batch") {};
      }
    } catch (JsonProcessingException e) {
      decisions.refuse(
          name, sessionId, null, null, "malformed MCP message: " + e.getOriginalMessage());
      reply.json(
          400, JsonRpc.error(null, JsonRpc.PARSE_ERROR, "Parse error: " + e.getOriginalMessage()));
      return;
    }

    String header = headers.getFirst(McpHeaders.PROTOCOL_VERSION);
    boolean initialize = McpProtocol.containsInitialize(parsed);
    if (header != null && !McpProtocol.SUPPORTED.contains(header) && !initialize) {
      reply.json(
          400,
          JsonRpc.error(
              idOf(parsed),
              JsonRpc.UNSUPPORTED_PROTOCOL_VERSION,
              "Unsupported protocol version",
              McpProtocol.unsupported(McpProtocol.SUPPORTED, header)));
      return;
    }
    String version = header != null ? header : sessions.versionOf(sessionId);
    List<JsonNode> messages = new ArrayList<>();
    if (parsed.isArray()) {
      if (parsed.isEmpty()) {
        reply.json(
            400, JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "Invalid Request: empty batch"));
        return;
      }
      if (!version.equals(McpProtocol.BATCH_VERSION) || initialize) {
        reply.json(
            400,
            JsonRpc.error(
                null,
                JsonRpc.INVALID_REQUEST,
                "Invalid Request: JSON-RPC batches are "
                    + (initialize
                        ? "not allowed to carry initialize"
                        : "not supported in protocol version " + version)));
        return;
      }
      parsed.forEach(messages::add);
    } else {
      messages.add(parsed);
    }
    if (McpProtocol.MODERN.equals(header)) {
      String mismatch = McpHeaders.mismatch(headers, parsed);
      if (mismatch != null) {
        reply.json(
            400,
            JsonRpc.error(idOf(parsed), JsonRpc.HEADER_MISMATCH, "Header mismatch: " + mismatch));
        return;
      }
    }

    McpPost post = new McpPost(name, sessionId, version, parsed.isArray(), engine);
    for (JsonNode message : messages) {
      admit(post, message, server != null);
    }
    if (server == null) {
      // Nothing goes anywhere: the tool calls were refused (and audited) above.
      for (JsonNode message : post.forwarded) {
        if (JsonRpc.isRequest(message)) {
          post.local.add(
              JsonRpc.error(
                  message.get("id"),
                  JsonRpc.INTERNAL_ERROR,
                  engine == null
                      ? "no valid policy bundle is loaded"
                      : "no MCP server '" + name + "' in the policy bundle"));
        }
      }
      post.forwarded.clear();
    }
    if (post.forwarded.isEmpty()) {
      PostForwarder.answerLocally(reply, post, server != null ? 200 : engine == null ? 503 : 404);
      return;
    }
    byte[] upstreamBody =
        !post.batch && post.forwarded.get(0) == parsed
            ? body
            : JsonRpc.JSON.writeValueAsBytes(
                post.batch ? PostForwarder.arrayOf(post.forwarded) : post.forwarded.get(0));
    HttpRequest.Builder request;
    try {
      request = upstream.request(headers, server);
    } catch (UpstreamException e) {
      forwarder.upstreamFailed(reply, post, e.getMessage());
      return;
    }
    request
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .timeout(settings.readTimeout())
        .POST(HttpRequest.BodyPublishers.ofByteArray(upstreamBody));
    forwarder.forward(reply, post, request.build(), server);
  }

  /** Decides what happens to one message: forwarded, answered here, or dropped. */
  private void admit(McpPost post, JsonNode message, boolean serverKnown) {
    if (!JsonRpc.isWellFormed(message)) {
      JsonNode id =
          message.isObject() && JsonRpc.validId(message.get("id")) ? message.get("id") : null;
      String method = message.path("method").asText("");
      if (message.isObject() && McpMethods.of(method) == McpMethods.Handling.DECIDE) {
        decisions.refuse(
            post.server,
            post.sessionId,
            id,
            McpCallRequest.of(post.server, method, message.path("params")),
            "malformed JSON-RPC " + method);
      }
      post.local.add(JsonRpc.error(id, JsonRpc.INVALID_REQUEST, "Invalid Request"));
      return;
    }
    if (JsonRpc.isResponse(message)) {
      post.forwarded.add(
          message); // the client answering a server request (sampling, elicitation, roots)
      return;
    }
    String method = JsonRpc.method(message);
    boolean request = JsonRpc.isRequest(message);
    JsonNode id = message.get("id");
    McpMethods.Handling handling = McpMethods.of(method);
    if (handling == McpMethods.Handling.DECIDE) {
      if (!request) {
        // Nothing could carry its answer back: refused, and kept in the audit as an attempt.
        decisions.refuse(
            post.server,
            post.sessionId,
            null,
            McpCallRequest.of(post.server, method, message.path("params")),
            method + " sent as a notification");
        return;
      }
      decisions.decide(post, message, serverKnown);
      return;
    }
    if (request && McpMethods.notificationOnly(method)) {
      post.local.add(
          JsonRpc.error(
              id,
              JsonRpc.INVALID_REQUEST,
              "Invalid Request: " + method + " is a notification and must not carry an id"));
      return;
    }
    boolean passes =
        handling == McpMethods.Handling.FILTER
            || handling == McpMethods.Handling.PASS
            || (handling == McpMethods.Handling.UNKNOWN && settings.otherMethods());
    if (passes) {
      if (method.equals("initialize") && request) {
        message = McpProtocol.negotiate(message);
        post.initializeIds.add(JsonRpc.idKey(id));
      }
      post.longLived |= method.equals(McpProtocol.LISTEN);
      post.forward(message);
      return;
    }
    if (request) {
      post.local.add(
          JsonRpc.error(
              id,
              JsonRpc.METHOD_NOT_FOUND,
              "Method not allowed through the Tollgate MCP gateway: " + printable(method)));
    }
    // A notification the gateway does not pass is dropped: it has no answer to give.
  }

  /** A method name as an error message may quote it: quoted (spaces show), escaped, bounded. */
  private static String printable(String method) {
    return JsonRpc.JSON
        .getNodeFactory()
        .textNode(method.substring(0, Math.min(method.length(), 200)))
        .toString();
  }

  private static JsonNode idOf(JsonNode parsed) {
    return parsed.isObject() && JsonRpc.validId(parsed.get("id")) ? parsed.get("id") : null;
  }

  private static void drainRequest(InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = 16L << 20;
    int read;
    while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
      left -= read;
    }
  }
}
