package dev.tollgate.api.v1alpha1;

/**
 * Regular expressions that the CRD schemas enforce, shared so that the CLI and the webhook can
 * report the same problems for objects that never reach an API server.
 */
public final class FieldPatterns {

  public static final String PRINCIPAL = "^(user|group):.+$";

  /**
   * A tool name pattern: the characters of Claude Code and MCP tool names plus {@code *}. Rejecting
   * anything else catches Claude Code permission-rule syntax such as {@code Bash(git *)}, which is
   * not a tool name.
   */
  public static final String TOOL_PATTERN = "^[A-Za-z0-9_.*-]+$";

  /**
   * An upstream MCP server name. No underscores: the agent-side tool name is
   * {@code mcp__<name>__<tool>}, so an underscore would make the split ambiguous.
   */
  public static final String MCP_SERVER_NAME = "^[A-Za-z0-9][A-Za-z0-9-]{0,62}$";

  public static final String HTTP_URL = "^https?://.+";

  /** A DNS-1123 label, so that {@code namespace/policy/rule} stays unambiguous in decisions. */
  public static final String RULE_NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  public static final String SHA256_HEX = "^[0-9a-f]{64}$";

  private FieldPatterns() {
  }
}
