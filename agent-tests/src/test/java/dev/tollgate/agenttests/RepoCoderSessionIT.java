package dev.tollgate.agenttests;

import java.nio.file.Path;

/**
 * {@link RepoCoderSessionContract} with the pinned Claude Code ({@code agent-tests/claude-code/}).
 */
class RepoCoderSessionIT extends RepoCoderSessionContract {
  @Override
  Path binary() {
    return ClaudeCode.BINARY;
  }
}
