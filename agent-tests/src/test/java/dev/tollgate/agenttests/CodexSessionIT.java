package dev.tollgate.agenttests;

import java.nio.file.Path;

/** {@link CodexSessionContract} with the pinned Codex CLI. */
class CodexSessionIT extends CodexSessionContract {
  @Override
  Path binary() {
    return Codex.PINNED;
  }
}
