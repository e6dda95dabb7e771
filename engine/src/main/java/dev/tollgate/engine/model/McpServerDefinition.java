package dev.tollgate.engine.model;

import java.util.List;

/**
 * An upstream MCP server reached only through the sidecar. Tool pattern {@code P} of server {@code
 * S} puts {@code mcp__S__P} in scope (Claude Code's naming for MCP tools).
 *
 * @param credentials the Secret key holding the upstream credential, or null for none
 */
public record McpServerDefinition(
    String name, String url, List<String> tools, SecretKeyRef credentials) {

  public McpServerDefinition {
    tools = List.copyOf(tools);
  }

  /** The agent-side tool-name patterns this server contributes to scope. */
  public List<String> agentSideToolPatterns() {
    return tools.stream().map(tool -> McpToolName.agentSide(name, tool)).toList();
  }

  /** A key of a Secret in the identity's namespace. */
  public record SecretKeyRef(String name, String key) {}
}
