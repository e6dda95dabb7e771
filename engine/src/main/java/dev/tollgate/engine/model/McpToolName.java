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
 * <p>The gateway decides two MCP requests other than {@code tools/call} as calls too, under
 * reserved tool names: {@code resources/read} and {@code resources/subscribe} as {@code
 * mcp__<server>__resource}, {@code prompts/get} as {@code mcp__<server>__prompt}. An upstream tool
 * with one of these names would share its policy with them, so it is never offered or called.
 *
 * @param server the {@code mcpServers} entry's name
 * @param tool the tool name (or tool pattern) as the upstream lists it
 */
public record McpToolName(String server, String tool) {

  /** The tool name under which reading (and subscribing to) a server's resources is decided. */
  public static final String RESOURCE = "resource";

  /** The tool name under which getting a server's prompts is decided. */
  public static final String PROMPT = "prompt";

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

  /** Whether this upstream tool name is taken by {@link #RESOURCE} or {@link #PROMPT}. */
  public static boolean reserved(String tool) {
    return RESOURCE.equals(tool) || PROMPT.equals(tool);
  }

  /** Whether this is the name resource reads are decided under. */
  public boolean isResource() {
    return RESOURCE.equals(tool);
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
