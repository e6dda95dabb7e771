package dev.tollgate.agenttests;

/**
 * {@link GeminiCliSessionIT} against the newest Gemini CLI the registry served when {@code
 * agent-tests/gemini-cli-latest/package-lock.json} was last updated (on purpose): a release that
 * changes the hook contract fails here before a user finds it.
 */
class GeminiCliLatestSessionIT extends GeminiCliSessionIT {

  @Override
  String packageDir() {
    return "gemini-cli-latest";
  }
}
