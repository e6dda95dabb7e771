package dev.tollgate.engine.model;

/**
 * The field formats that the CRD schemas enforce and that the engine checks again for objects that
 * never reach an API server (the CLI, the validating webhook). The one definition: the API module's
 * {@code FieldPatterns} hands these constants to the CRD generator, and the engine compiles the
 * same strings, so the two cannot accept different values.
 *
 * <p>Each pattern is anchored, because the API server's validator searches rather than matches;
 * Java's {@code Matcher.matches()} accepts the anchors as they are.
 */
public final class FieldRules {

  /**
   * {@code user:NAME} or {@code group:NAME}. The name must start with a non-blank character: a
   * principal such as {@code "user: alice"} can never equal an authenticated user name, so
   * accepting it would only hide a typo.
   */
  public static final String PRINCIPAL = "^(user|group):\\S.*$";

  /**
   * The longest tool name a hook input or a decision request may carry, and the longest tool
   * pattern.
   */
  public static final int MAX_TOOL_NAME_LENGTH = 256;

  /**
   * A tool name pattern: the characters of Claude Code and MCP tool names plus {@code *}, at most
   * {@link #MAX_TOOL_NAME_LENGTH}. Rejecting anything else catches Claude Code permission-rule
   * syntax such as {@code Bash(git *)}, which is not a tool name.
   */
  public static final String TOOL_PATTERN = "^[A-Za-z0-9_.*-]{1," + MAX_TOOL_NAME_LENGTH + "}$";

  /**
   * An upstream MCP server name. No underscores: the agent-side tool name is {@code
   * mcp__<name>__<tool>} (see {@link McpToolName}), so an underscore would make the split
   * ambiguous.
   */
  public static final String MCP_SERVER_NAME = "^[A-Za-z0-9][A-Za-z0-9-]{0,62}$";

  /**
   * A DNS-1123 label (at most 63 characters), so that {@code namespace/policy/rule} stays
   * unambiguous in decisions.
   */
  public static final String RULE_NAME = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";

  /**
   * An upstream URL's scheme. The engine parses the URL further (a host, no credentials), which no
   * schema pattern can say.
   */
  public static final String HTTP_URL = "^https?://.+";

  /**
   * A git remote's name: a DNS-1123 label, because the gateway serves the remote at {@code
   * /git/<name>/} and policies compare it as {@code resource.remote}.
   */
  public static final String GIT_REMOTE_NAME = RULE_NAME;

  /**
   * A git remote's upstream URL: https only (the credential must never travel in clear), no user
   * information (credentials belong in the Secret), no query or fragment (git's smart HTTP appends
   * its own path and query). The engine also parses it (a host, a valid port).
   */
  public static final String GIT_HTTPS_URL = "^https://[^\\s/?#@]+(/[^\\s?#]*)?$";

  private FieldRules() {}
}
