package dev.tollgate.sidecar.core;

import dev.tollgate.engine.model.EgressDefinition;
import dev.tollgate.engine.model.GitRemoteDefinition;

/**
 * The tool names that only a gate of the decision point decides, from what it sees itself: the
 * egress proxy ({@code Egress}) and the git gateway ({@code GitFetch}, {@code GitPush}). Asked for
 * through a hook, AuthZEN or MCP they are refused, whatever the policies say.
 */
final class GateTools {

  private GateTools() {}

  static boolean reserved(String tool) {
    return EgressDefinition.TOOL.equals(tool) || GitRemoteDefinition.isGitTool(tool);
  }
}
