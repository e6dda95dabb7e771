package dev.tollgate.engine.model;

import java.util.Arrays;
import java.util.Optional;

/** Which agent-side wiring the webhook injects. */
public enum AgentRuntime {
  CLAUDE_CODE("ClaudeCode"),
  CODEX("Codex"),
  GEMINI_CLI("GeminiCli"),
  GENERIC("Generic");

  private final String wireName;

  AgentRuntime(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<AgentRuntime> fromWireName(String name) {
    return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst();
  }
}
