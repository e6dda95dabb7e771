package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.sidecar.core.ToolCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one POST (or one GET stream) is doing: the messages forwarded and the answers given here,
 * the calls in flight (for their outcome), and what the answers must settle.
 */
final class McpPost {

  final String server;
  final String sessionId;
  final String version;
  final boolean batch;

  /** The bundle's engine when the POST arrived; null without a valid bundle. */
  final PolicyEngine engine;

  final List<JsonNode> forwarded = new ArrayList<>();
  final List<JsonNode> local = new ArrayList<>();

  /** id key → the tools/call forwarded with it. */
  final Map<String, ToolCall> calls = new ConcurrentHashMap<>();

  /** id keys of the forwarded requests not answered yet. */
  final Map<String, JsonNode> pending = new LinkedHashMap<>();

  final Set<String> initializeIds = ConcurrentHashMap.newKeySet();
  String initializedVersion;
  boolean longLived;

  McpPost(String server, String sessionId, String version, boolean batch, PolicyEngine engine) {
    this.server = server;
    this.sessionId = sessionId;
    this.version = version;
    this.batch = batch;
    this.engine = engine;
  }

  /** Forwards a message; a request among them awaits its answer. */
  void forward(JsonNode message) {
    forwarded.add(message);
    if (JsonRpc.isRequest(message)) {
      pending.put(JsonRpc.idKey(message.get("id")), message.get("id"));
    }
  }
}
