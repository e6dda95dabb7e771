package dev.tollgate.engine.model;

import java.util.List;

/**
 * An upstream git repository a ToolScope puts in scope of tools {@link #FETCH_TOOL} and {@link
 * #PUSH_TOOL}, reached only through the sidecar's git gateway.
 *
 * @param name the remote's name (a DNS label), what {@code resource.remote} holds
 * @param url the canonical upstream URL: https, host lower-cased, no default port, no trailing
 *     slash (see {@link GitRemoteParser})
 * @param credentials the Secret key holding the upstream credential, or null for anonymous access
 *     (public repositories)
 * @param caBundle PEM CA certificates trusted for the upstream's TLS instead of the default roots,
 *     or null
 */
public record GitRemoteDefinition(
    String name, String url, McpServerDefinition.SecretKeyRef credentials, String caBundle) {

  /** The reserved tool name under which a fetch or clone through the git gateway is decided. */
  public static final String FETCH_TOOL = "GitFetch";

  /** The reserved tool name under which a push through the git gateway is decided. */
  public static final String PUSH_TOOL = "GitPush";

  /** Both reserved git tools. */
  public static final List<String> TOOLS = List.of(FETCH_TOOL, PUSH_TOOL);

  /** Whether {@code tool} is one of the reserved git tools. */
  public static boolean isGitTool(String tool) {
    return FETCH_TOOL.equals(tool) || PUSH_TOOL.equals(tool);
  }
}
