package dev.tollgate.agenttests;

import java.nio.file.Path;

/**
 * {@link FaultDrillIT}'s drills with the newest Claude Code ({@code
 * agent-tests/claude-code-latest/}).
 */
class ClaudeCodeLatestFaultDrillIT extends FaultDrillIT {
  @Override
  Path binary() {
    return ClaudeCode.LATEST;
  }
}
