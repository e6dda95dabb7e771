package dev.tollgate.engine.model;

import dev.tollgate.engine.source.ObjectRef;
import java.util.List;

/**
 * A ToolScope's spec: the tools (and upstream MCP servers) a workflow may use at all, and the
 * network destinations it may reach through the egress gate.
 */
public record ScopeDefinition(
    ObjectRef ref,
    List<String> tools,
    List<McpServerDefinition> mcpServers,
    List<EgressDefinition> egress) {

  public ScopeDefinition {
    tools = List.copyOf(tools);
    mcpServers = List.copyOf(mcpServers);
    egress = List.copyOf(egress);
  }
}
