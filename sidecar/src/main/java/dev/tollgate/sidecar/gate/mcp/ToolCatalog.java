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
 * {@code resource.annotations}; and the filtering of every listing the agent receives (tools,
 * resources, resource templates, prompts).
 */
final class ToolCatalog {

  /** Bounds what an upstream listing thousands of tools can make the sidecar keep. */
  private static final int MAX_TOOLS_PER_SERVER = 4_096;

  /** The listings, by the array their result carries. */
  enum Listing {
    TOOLS("tools"),
    RESOURCES("resources"),
    TEMPLATES("resourceTemplates"),
    PROMPTS("prompts");

    final String key;

    Listing(String key) {
      this.key = key;
    }

    /**
     * The listing this result is (whatever the request id: answers reach GET streams too), or null.
     */
    static Listing of(JsonNode result) {
      if (result == null || !result.isObject()) {
        return null;
      }
      for (Listing listing : values()) {
        if (result.path(listing.key).isArray()) {
          return listing;
        }
      }
      return null;
    }
  }

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
   * Keeps the entries scope and policy let the agent see, in order; remembers every listed tool's
   * annotations; leaves {@code nextCursor} and the rest of the result alone. Entries without a
   * usable name (or URI), and tools under a reserved name, are dropped. Returns a filtered copy.
   */
  ObjectNode filter(String server, PolicyEngine engine, Listing listing, JsonNode result) {
    ObjectNode copy = ((ObjectNode) result).deepCopy();
    ArrayNode kept = JsonRpc.JSON.createArrayNode();
    for (JsonNode entry : result.get(listing.key)) {
      String tool = listing == Listing.TOOLS ? entry.path("name").asText("") : "";
      if (!tool.isEmpty() && !McpToolName.reserved(tool)) {
        // A reserved name's hints would reach hook decisions of resource reads or prompts.
        remember(server, tool, entry.path("annotations"));
      }
      if (entry.isObject() && engine != null && shown(server, engine, listing, entry)) {
        kept.add(entry);
      }
    }
    copy.set(listing.key, kept);
    return copy;
  }

  /** Whether the agent may see this tool now (as {@code tools/list} would say). */
  boolean visible(String server, PolicyEngine engine, String tool) {
    return visibility.visible(engine, agentSideName(server, tool), annotations(server, tool));
  }

  private boolean shown(String server, PolicyEngine engine, Listing listing, JsonNode entry) {
    ObjectNode known = JsonRpc.JSON.createObjectNode();
    return switch (listing) {
      case TOOLS -> {
        String name = entry.path("name").asText("");
        yield !name.isEmpty() && !McpToolName.reserved(name) && visible(server, engine, name);
      }
      case RESOURCES -> {
        String uri = entry.path("uri").asText("");
        known.put("uri", uri);
        yield !uri.isEmpty() && decidable(server, engine, McpToolName.RESOURCE, known, listing);
      }
      case TEMPLATES ->
          entry.path("uriTemplate").isTextual()
              && decidable(server, engine, McpToolName.RESOURCE, known, listing);
      case PROMPTS -> {
        String name = entry.path("name").asText("");
        known.put("name", name).putObject("arguments");
        yield !name.isEmpty() && decidable(server, engine, McpToolName.PROMPT, known, listing);
      }
    };
  }

  private boolean decidable(
      String server, PolicyEngine engine, String tool, JsonNode known, Listing listing) {
    ToolVisibility.Unknown unknown =
        switch (listing) {
          case RESOURCES -> ToolVisibility.Unknown.NOTHING;
          case TEMPLATES -> ToolVisibility.Unknown.URI;
          default -> ToolVisibility.Unknown.PROMPT_ARGUMENTS;
        };
    return visibility.visible(engine, agentSideName(server, tool), known, null, unknown);
  }

  private void remember(String server, String name, JsonNode toolAnnotations) {
    Map<String, JsonNode> known =
        annotations.computeIfAbsent(server, s -> new ConcurrentHashMap<>());
    if (!toolAnnotations.isObject()) {
      known.remove(name);
    } else if (known.size() < MAX_TOOLS_PER_SERVER || known.containsKey(name)) {
      known.put(name, toolAnnotations);
    }
  }
}
