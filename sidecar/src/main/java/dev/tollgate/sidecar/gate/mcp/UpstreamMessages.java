package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.sidecar.core.ToolCall;
import dev.tollgate.sidecar.policy.PolicyState;
import java.util.List;

/**
 * The upstream's messages on their way to the agent, one at a time whether they came as JSON or as
 * SSE events: listings filtered, call outcomes audited, initialize answers checked and their
 * session's version remembered.
 */
final class UpstreamMessages {

  private final PolicyState state;
  private final ToolDecisions decisions;
  private final SessionVersions sessions;

  UpstreamMessages(PolicyState state, ToolDecisions decisions, SessionVersions sessions) {
    this.state = state;
    this.decisions = decisions;
    this.sessions = sessions;
  }

  /** Returns what to relay for one message (null for nothing). */
  JsonNode toAgent(McpPost post, JsonNode message, String sessionId) {
    if (!JsonRpc.isResponse(message)) {
      return message; // server notifications (list_changed, progress, logging) and server requests
    }
    String key = JsonRpc.idKey(message.get("id"));
    JsonNode result = message.get("result");
    JsonNode out = message;
    ToolCatalog.Listing listing = ToolCatalog.Listing.of(result);
    if (listing != null) {
      PolicyEngine engine = state.engine().orElse(null);
      out = decisions.visibleEntries(post == null ? "" : post.server, engine, listing, message);
    }
    if (post == null) {
      return out;
    }
    post.pending.remove(key);
    if (post.initializeIds.contains(key) && result != null) {
      String version = result.path("protocolVersion").asText("");
      if (!McpProtocol.SESSION_VERSIONS.contains(version)) {
        return JsonRpc.error(
            message.get("id"),
            JsonRpc.INVALID_PARAMS,
            "Unsupported protocol version (from the upstream MCP server)",
            McpProtocol.unsupported(McpProtocol.SESSION_VERSIONS, version));
      }
      post.initializedVersion = version;
      if (sessionId != null) {
        sessions.remember(sessionId, version);
      }
    }
    ToolCall call = post.calls.remove(key);
    if (call != null) {
      decisions.answered(call, message);
    }
    return out;
  }

  /**
   * Answers every forwarded request still unanswered with -32603, and audits the tool calls among
   * them as failed.
   */
  void failPending(McpPost post, List<JsonNode> out, String why) {
    for (JsonNode id : List.copyOf(post.pending.values())) {
      String key = JsonRpc.idKey(id);
      post.pending.remove(key);
      out.add(JsonRpc.error(id, JsonRpc.INTERNAL_ERROR, why));
      ToolCall call = post.calls.remove(key);
      if (call != null) {
        decisions.unanswered(call, why);
      }
    }
  }
}
