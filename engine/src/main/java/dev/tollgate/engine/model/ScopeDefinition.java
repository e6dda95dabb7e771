package dev.tollgate.engine.model;

import dev.tollgate.engine.source.ObjectRef;
import java.util.List;

/**
 * A ToolScope's spec: the tools (and upstream MCP servers) a workflow may use at all, the network
 * destinations it may reach through the egress gate, and the git remotes it may fetch from and push
 * to through the git gateway.
 */
public record ScopeDefinition(
    ObjectRef ref,
    List<String> tools,
    List<McpServerDefinition> mcpServers,
    List<EgressDefinition> egress,
    List<GitRemoteDefinition> gitRemotes) {

  public ScopeDefinition {
    tools = List.copyOf(tools);
    mcpServers = List.copyOf(mcpServers);
    egress = List.copyOf(egress);
    gitRemotes = List.copyOf(gitRemotes);
  }
}
