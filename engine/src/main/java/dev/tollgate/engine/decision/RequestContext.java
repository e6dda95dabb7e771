package dev.tollgate.engine.decision;

import java.time.Instant;

/**
 * Where and when a call happens: visible to conditions as {@code context}.
 *
 * @param cwd the agent's working directory; relative paths resolve against it ("/" if unknown)
 * @param home the agent's home directory, for {@code ~} paths
 * @param sessionId the agent session (Claude Code's {@code session_id})
 * @param permissionMode Claude Code's permission mode
 * @param pod the agent pod's name
 * @param namespace the agent pod's namespace
 * @param time when the decision is taken
 * @param runtime the client that asked ({@code ClaudeCode}, {@code GeminiCli}, ...: the
 *     AgentIdentity runtime names), so one policy can tell agents apart; empty when unknown
 */
public record RequestContext(
    String cwd,
    String home,
    String sessionId,
    String permissionMode,
    String pod,
    String namespace,
    Instant time,
    String runtime) {

  /**
   * The agent's home when nothing says otherwise: what the webhook gives agent containers that set
   * no {@code HOME} of their own (they run as a non-root user).
   */
  public static final String DEFAULT_HOME = "/home/agent";

  /** A context whose client is not known. */
  public RequestContext(
      String cwd,
      String home,
      String sessionId,
      String permissionMode,
      String pod,
      String namespace,
      Instant time) {
    this(cwd, home, sessionId, permissionMode, pod, namespace, time, "");
  }

  public RequestContext {
    cwd = cwd == null || !cwd.startsWith("/") ? "/" : cwd;
    home = home == null || !home.startsWith("/") ? DEFAULT_HOME : home;
    sessionId = nullToEmpty(sessionId);
    permissionMode = nullToEmpty(permissionMode);
    pod = nullToEmpty(pod);
    namespace = nullToEmpty(namespace);
    time = time == null ? Instant.EPOCH : time;
    runtime = nullToEmpty(runtime);
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
