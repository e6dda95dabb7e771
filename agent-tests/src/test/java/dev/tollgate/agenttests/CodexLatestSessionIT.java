package dev.tollgate.agenttests;

import java.nio.file.Path;

/**
 * {@link CodexSessionContract} with the newest Codex CLI ({@code agent-tests/codex-latest/}): a
 * release that changes the hook contract fails here first.
 */
class CodexLatestSessionIT extends CodexSessionContract {
  @Override
  Path binary() {
    return Codex.LATEST;
  }
}
