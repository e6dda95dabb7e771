package dev.tollgate.engine.source;

import java.util.Arrays;
import java.util.Optional;

/** The Tollgate resource kinds the engine understands (group {@code tollgate.dev}). */
public enum Kind {
  AGENT_IDENTITY("AgentIdentity"),
  TOOL_SCOPE("ToolScope"),
  TOOL_POLICY("ToolPolicy"),
  TOOL_CALL_APPROVAL("ToolCallApproval");

  public static final String GROUP = "tollgate.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  private final String wireName;

  Kind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<Kind> fromWireName(String name) {
    return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
