package dev.tollgate.engine.model;

import java.util.Optional;

/**
 * The agent-side name of an upstream MCP tool, {@code mcp__<server>__<tool>} (Claude Code's naming,
 * which every runtime is mapped onto). The only place that builds or splits such a name: scope
 * patterns, the derived {@code resource}, the gateway's listings and its annotation lookups must
 * all agree on where the server ends.
 *
 * <p>Server names cannot contain {@code _} (the CRD pattern refuses it), so the first {@code __}
 * after the prefix is the split; a tool name may contain anything after it.
 *
 * @param server the {@code mcpServers} entry's name
 * @param tool the tool name (or tool pattern) as the upstream lists it
 */
public record McpToolName(String server, String tool) {

  private static final String PREFIX = "mcp__";
  private static final String SEPARATOR = "__";

  /** The agent-side name: {@code mcp__<server>__<tool>}. */
  public String agentSide() {
    return PREFIX + server + SEPARATOR + tool;
  }

  /** The agent-side name of {@code tool} on {@code server}. */
  public static String agentSide(String server, String tool) {
    return new McpToolName(server, tool).agentSide();
  }

  /**
   * Splits an agent-side name; empty when it is not one (no prefix, empty server, no tool part).
   */
  public static Optional<McpToolName> parse(String agentSideName) {
    if (agentSideName == null || !agentSideName.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int split = agentSideName.indexOf(SEPARATOR, PREFIX.length());
    if (split <= PREFIX.length()) {
      return Optional.empty();
    }
    return Optional.of(
        new McpToolName(
            agentSideName.substring(PREFIX.length(), split),
            agentSideName.substring(split + SEPARATOR.length())));
  }
}
