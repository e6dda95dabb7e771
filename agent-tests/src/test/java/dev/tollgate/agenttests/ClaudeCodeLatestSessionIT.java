package dev.tollgate.agenttests;

import java.nio.file.Path;

/**
 * {@link RepoCoderSessionContract} with the newest Claude Code ({@code
 * agent-tests/claude-code-latest/}): a release that changes the hook contract fails here first.
 */
class ClaudeCodeLatestSessionIT extends RepoCoderSessionContract {
  @Override
  Path binary() {
    return ClaudeCode.LATEST;
  }
}
