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
 * @param runtime the client that asked ({@code ClaudeCode}, {@code Codex}, …; the identity's
 *     runtime when the door cannot tell), so one policy can still single a client out
 * @param agentId the sub-agent that made the call, where the client reports one, else empty
 * @param agentType the sub-agent's type (e.g. Codex's {@code agent_type}), else empty
 */
public record RequestContext(
    String cwd,
    String home,
    String sessionId,
    String permissionMode,
    String pod,
    String namespace,
    Instant time,
    String runtime,
    String agentId,
    String agentType) {

  /**
   * The agent's home when nothing says otherwise: what the webhook gives agent containers that set
   * no {@code HOME} of their own (they run as a non-root user).
   */
  public static final String DEFAULT_HOME = "/home/agent";

  public RequestContext {
    cwd = cwd == null || !cwd.startsWith("/") ? "/" : cwd;
    home = home == null || !home.startsWith("/") ? DEFAULT_HOME : home;
    sessionId = nullToEmpty(sessionId);
    permissionMode = nullToEmpty(permissionMode);
    pod = nullToEmpty(pod);
    namespace = nullToEmpty(namespace);
    time = time == null ? Instant.EPOCH : time;
    runtime = nullToEmpty(runtime);
    agentId = nullToEmpty(agentId);
    agentType = nullToEmpty(agentType);
  }

  /** A context that names no client and no sub-agent. */
  public RequestContext(
      String cwd,
      String home,
      String sessionId,
      String permissionMode,
      String pod,
      String namespace,
      Instant time) {
    this(cwd, home, sessionId, permissionMode, pod, namespace, time, "", "", "");
  }

  /** This context with the client and sub-agent set (null or empty: unknown). */
  public RequestContext withAgent(String runtime, String agentId, String agentType) {
    return new RequestContext(
        cwd, home, sessionId, permissionMode, pod, namespace, time, runtime, agentId, agentType);
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
