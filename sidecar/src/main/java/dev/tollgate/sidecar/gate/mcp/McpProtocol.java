package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * The MCP protocol generations the gateway speaks and how a version is negotiated. Both transport
 * generations: session-based (2024-11-05 … 2025-11-25: {@code initialize}, {@code Mcp-Session-Id},
 * GET streams, DELETE, batches in 2025-03-26) and stateless 2026-07-28 ({@code
 * MCP-Protocol-Version} on every request, {@code Mcp-Method} / {@code Mcp-Name} checked against the
 * body, no session).
 */
final class McpProtocol {

  static final String MODERN = "2026-07-28";
  static final String LATEST_SESSION = "2025-11-25";

  /** Newest first. */
  static final List<String> SUPPORTED =
      List.of(MODERN, "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");

  static final List<String> SESSION_VERSIONS = SUPPORTED.subList(1, SUPPORTED.size());

  /** When a request names no version and its session is unknown (MCP: assume 2025-03-26). */
  static final String DEFAULT_VERSION = "2025-03-26";

  /** The only version that carries JSON-RPC batches. */
  static final String BATCH_VERSION = "2025-03-26";

  /**
   * 2026-07-28: the long-lived stream of change notifications (list_changed), exempt from the read
   * timeout.
   */
  static final String LISTEN = "subscriptions/listen";

  /** Methods whose {@code Mcp-Name} header names their target (2026-07-28). */
  static final Set<String> NAMED_METHODS = Set.of("tools/call", "resources/read", "prompts/get");

  private McpProtocol() {}

  /** A client asking for a version newer than the gateway knows is offered the newest it knows. */
  static JsonNode negotiate(JsonNode initialize) {
    String requested = initialize.path("params").path("protocolVersion").asText("");
    if (SESSION_VERSIONS.contains(requested)
        || requested.compareTo(LATEST_SESSION) < 0
        || !initialize.path("params").isObject()) {
      return initialize;
    }
    ObjectNode copy = initialize.deepCopy();
    ((ObjectNode) copy.get("params")).put("protocolVersion", LATEST_SESSION);
    return copy;
  }

  static boolean containsInitialize(JsonNode parsed) {
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

  /** The {@code data} of an unsupported-version error: what is supported, what was asked. */
  static ObjectNode unsupported(List<String> supported, String requested) {
    ObjectNode data = JsonRpc.JSON.createObjectNode();
    supported.forEach(data.putArray("supported")::add);
    data.put("requested", requested);
    return data;
  }
}
