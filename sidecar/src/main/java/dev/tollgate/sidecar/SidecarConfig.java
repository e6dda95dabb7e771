package dev.tollgate.sidecar;

import dev.tollgate.api.SidecarContract.SidecarEnv;
import dev.tollgate.engine.decision.RequestContext;
import dev.tollgate.engine.model.PrincipalList;
import dev.tollgate.runtime.config.Settings;
import dev.tollgate.runtime.logging.LogLevel;
import dev.tollgate.sidecar.approval.ApprovalSettings;
import dev.tollgate.sidecar.audit.export.AuditExport;
import dev.tollgate.sidecar.core.PodContext;
import dev.tollgate.sidecar.delegation.DelegationSettings;
import dev.tollgate.sidecar.events.EventSettings;
import dev.tollgate.sidecar.gate.egress.EgressSettings;
import dev.tollgate.sidecar.gate.git.GitSettings;
import dev.tollgate.sidecar.gate.mcp.McpSettings;
import dev.tollgate.sidecar.http.ServerSettings;
import dev.tollgate.sidecar.policy.PolicySettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

/**
 * The sidecar's whole configuration, read once at start from environment variables and flags (a
 * flag wins over its variable) and validated: every bad setting is reported, by name, before
 * anything listens. Each feature reads its own settings; this record only composes them, so a new
 * gate adds its record here and nothing else changes.
 *
 * @param policy the bundle and how it is watched
 * @param server where the decision point listens
 * @param pod the agent pod (downward API) and its principal (values the webhook wrote)
 * @param events Kubernetes Events for denials and approvals
 * @param approvals whether approval-required calls wait for a human
 * @param mcp the MCP gateway's settings ({@code --mcp-*}, {@code TOLLGATE_MCP_*})
 * @param delegation the webhook's proof of the principal
 * @param egress the egress gate's settings ({@code --egress-*}, {@code TOLLGATE_EGRESS_*})
 * @param git the git gateway's settings ({@code --git-*}, {@code TOLLGATE_GIT_*})
 * @param logLevel {@code --log-level} ({@code TOLLGATE_LOG_LEVEL}): trace, debug, info, warn, error
 *     or off
 * @param auditExport where a copy of the audit records is sent ({@code --audit-export-*}, {@code
 *     TOLLGATE_AUDIT_EXPORT_*})
 */
public record SidecarConfig(
    PolicySettings policy,
    ServerSettings server,
    PodContext pod,
    EventSettings events,
    ApprovalSettings approvals,
    McpSettings mcp,
    DelegationSettings delegation,
    EgressSettings egress,
    GitSettings git,
    Level logLevel,
    AuditExport auditExport) {

  private static final Map<String, String> POD_FLAGS =
      Map.of(
          "--pod", SidecarEnv.POD_NAME,
          "--namespace", SidecarEnv.POD_NAMESPACE,
          "--principal", SidecarEnv.PRINCIPAL,
          "--groups", SidecarEnv.GROUPS,
          "--agent-home", SidecarEnv.AGENT_HOME);

  /**
   * Reads the configuration.
   *
   * @throws ConfigException listing every problem, one per line
   */
  public static SidecarConfig from(Map<String, String> env, String[] args) throws ConfigException {
    Map<String, String> flags = new HashMap<>(POD_FLAGS);
    flags.putAll(PolicySettings.FLAGS);
    flags.putAll(ServerSettings.FLAGS);
    flags.putAll(EventSettings.FLAGS);
    flags.putAll(ApprovalSettings.FLAGS);
    flags.putAll(McpSettings.FLAGS);
    flags.putAll(DelegationSettings.FLAGS);
    flags.putAll(EgressSettings.FLAGS);
    flags.putAll(GitSettings.FLAGS);
    flags.put(LogLevel.FLAG, LogLevel.VARIABLE);
    flags.putAll(AuditExport.FLAGS);
    // The downward API conventionally exposes these under their own names.
    Settings settings =
        new Settings(env, args, flags)
            .alias(SidecarEnv.POD_NAME, "POD_NAME", env)
            .alias(SidecarEnv.POD_NAMESPACE, "POD_NAMESPACE", env);
    PolicySettings policy = PolicySettings.read(settings);
    ServerSettings server = ServerSettings.read(settings);
    PodContext pod = pod(settings);
    EventSettings events = EventSettings.read(settings, env);
    ApprovalSettings approvals = ApprovalSettings.read(settings);
    McpSettings mcp = McpSettings.read(settings);
    DelegationSettings delegation = DelegationSettings.read(settings);
    EgressSettings egress = EgressSettings.read(settings);
    GitSettings git = GitSettings.read(settings);
    Level logLevel = LogLevel.read(settings);
    AuditExport auditExport = AuditExport.read(settings);
    if (!settings.problems().isEmpty()) {
      throw new ConfigException(settings.problems());
    }
    return new SidecarConfig(
        policy,
        server,
        pod,
        events,
        approvals,
        mcp,
        delegation,
        egress,
        git,
        logLevel,
        auditExport);
  }

  private static PodContext pod(Settings settings) {
    String principal = settings.get(SidecarEnv.PRINCIPAL, "");
    if (principal.startsWith(PrincipalList.USER_PREFIX)) {
      principal = principal.substring(PrincipalList.USER_PREFIX.length());
    }
    String home = settings.get(SidecarEnv.AGENT_HOME, RequestContext.DEFAULT_HOME);
    if (!home.startsWith("/")) {
      settings.problem(SidecarEnv.AGENT_HOME, "must be an absolute path, got '" + home + "'");
    }
    List<String> groups = settings.list(SidecarEnv.GROUPS, "");
    return new PodContext(
        settings.get(SidecarEnv.POD_NAME, ""),
        settings.get(SidecarEnv.POD_NAMESPACE, ""),
        principal,
        groups,
        home);
  }
}
