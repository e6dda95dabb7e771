package dev.tollgate.agenttests;

import java.nio.file.Path;

/**
 * {@link RealAgentMcpAndApprovalIT} (the MCP gateway and an approval) with the newest Claude Code
 * ({@code agent-tests/claude-code-latest/}).
 */
class ClaudeCodeLatestMcpAndApprovalIT extends RealAgentMcpAndApprovalIT {
  @Override
  Path binary() {
    return ClaudeCode.LATEST;
  }
}
