package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum AgentRuntime {
  @JsonProperty("ClaudeCode")
  CLAUDE_CODE,
  @JsonProperty("Codex")
  CODEX,
  @JsonProperty("GeminiCli")
  GEMINI_CLI,
  @JsonProperty("Generic")
  GENERIC;

  public static final AgentRuntime DEFAULT = CLAUDE_CODE;
}
