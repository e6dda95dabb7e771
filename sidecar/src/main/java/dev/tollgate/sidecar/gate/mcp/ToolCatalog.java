package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.model.McpToolName;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the gateway learned from the upstreams' {@code tools/list} answers: each tool's annotations
 * (server → tool → annotations, the last listing wins), which {@code tools/call} decisions see as
 * {@code resource.annotations}; and the filtering of those answers.
 */
final class ToolCatalog {

  /** Bounds what an upstream listing thousands of tools can make the sidecar keep. */
  private static final int MAX_TOOLS_PER_SERVER = 4_096;

  private final ToolVisibility visibility;
  private final Map<String, Map<String, JsonNode>> annotations = new ConcurrentHashMap<>();

  ToolCatalog(ToolVisibility visibility) {
    this.visibility = visibility;
  }

  static String agentSideName(String server, String tool) {
    return McpToolName.agentSide(server, tool);
  }

  /** The annotations of a tool as last listed, or null when never listed. */
  JsonNode annotations(String server, String tool) {
    Map<String, JsonNode> tools = annotations.get(server);
    return tools == null ? null : tools.get(tool);
  }

  /**
   * True when this result is a tools/list result (whatever the request id): it has a {@code tools}
   * array.
   */
  static boolean isToolList(JsonNode result) {
    return result != null && result.isObject() && result.path("tools").isArray();
  }

  /**
   * Keeps the tools scope and policy let the agent see, in order; remembers every listed tool's
   * annotations; leaves {@code nextCursor} and the rest of the result alone. Tools without a usable
   * name are dropped. Returns a filtered copy.
   */
  ObjectNode filter(String server, PolicyEngine engine, JsonNode result) {
    ObjectNode copy = ((ObjectNode) result).deepCopy();
    ArrayNode kept = JsonRpc.JSON.createArrayNode();
    Map<String, JsonNode> known =
        annotations.computeIfAbsent(server, s -> new ConcurrentHashMap<>());
    for (JsonNode tool : result.get("tools")) {
      String name = tool.path("name").asText("");
      if (!tool.isObject() || name.isEmpty()) {
        continue;
      }
      JsonNode toolAnnotations =
          tool.path("annotations").isObject() ? tool.get("annotations") : null;
      if (toolAnnotations != null
          && (known.size() < MAX_TOOLS_PER_SERVER || known.containsKey(name))) {
        known.put(name, toolAnnotations);
      } else if (toolAnnotations == null) {
        known.remove(name);
      }
      if (engine != null
          && visibility.visible(engine, agentSideName(server, name), toolAnnotations)) {
        kept.add(tool);
      }
    }
    copy.set("tools", kept);
    return copy;
  }

  /** Whether the agent may see this tool now (as {@code tools/list} would say). */
  boolean visible(String server, PolicyEngine engine, String tool) {
    return visibility.visible(engine, agentSideName(server, tool), annotations(server, tool));
  }
}
