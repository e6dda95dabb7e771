package dev.tollgate.operator;

import dev.tollgate.engine.source.KubernetesNames;
import dev.tollgate.runtime.config.Settings;
import dev.tollgate.runtime.logging.LogLevel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;

/**
 * The operator's whole configuration, from environment variables and flags (a flag wins), validated
 * at start: every bad setting is reported by name.
 *
 * @param namespaces the namespaces to watch; empty for all
 * @param leaderElection whether to elect a leader (on for more than one replica)
 * @param leaseNamespace where the Lease lives (the operator's own namespace)
 * @param leaseName the Lease's name
 * @param identityName this replica's name in the Lease (the pod name)
 * @param approvalRetention how long decided or expired ToolCallApprovals are kept
 * @param metricsPort the port of /metrics, /healthz and /readyz (0 picks a free one)
 * @param reconcileThreads how many reconciles run at once (JOSDK's default of 50 only makes
 *     CPU-bound compiles queue behind each other on a small pod)
 * @param logLevel {@code --log-level} ({@code TOLLGATE_LOG_LEVEL}): trace, debug, info, warn, error
 *     or off
 */
public record OperatorConfig(
    Set<String> namespaces,
    boolean leaderElection,
    String leaseNamespace,
    String leaseName,
    String identityName,
    Duration approvalRetention,
    int metricsPort,
    int reconcileThreads,
    Level logLevel) {

  /** Environment variable names. */
  public static final class Env {
    public static final String NAMESPACES = "TOLLGATE_WATCH_NAMESPACES";
    public static final String LEADER_ELECTION = "TOLLGATE_LEADER_ELECTION";
    public static final String LEASE_NAMESPACE = "TOLLGATE_LEASE_NAMESPACE";
    public static final String LEASE_NAME = "TOLLGATE_LEASE_NAME";
    public static final String POD_NAME = "POD_NAME";
    public static final String APPROVAL_RETENTION = "TOLLGATE_APPROVAL_RETENTION_SECONDS";
    public static final String METRICS_PORT = "TOLLGATE_METRICS_PORT";
    public static final String RECONCILE_THREADS = "TOLLGATE_RECONCILE_THREADS";

    private Env() {}
  }

  private static final Map<String, String> FLAGS =
      Map.of(
          "--namespaces",
          Env.NAMESPACES,
          "--leader-election",
          Env.LEADER_ELECTION,
          "--lease-namespace",
          Env.LEASE_NAMESPACE,
          "--lease-name",
          Env.LEASE_NAME,
          "--pod-name",
          Env.POD_NAME,
          "--approval-retention-seconds",
          Env.APPROVAL_RETENTION,
          "--metrics-port",
          Env.METRICS_PORT,
          "--reconcile-threads",
          Env.RECONCILE_THREADS,
          LogLevel.FLAG,
          LogLevel.VARIABLE);

  public static OperatorConfig from(Map<String, String> env, String[] args)
      throws OperatorConfigException {
    Settings settings = new Settings(env, args, FLAGS);
    Set<String> namespaces = Set.copyOf(settings.list(Env.NAMESPACES, ""));
    namespaces.stream()
        .filter(n -> !KubernetesNames.isDnsLabel(n))
        .sorted()
        .forEach(
            n ->
                settings.problem(
                    Env.NAMESPACES, "holds '" + n + "', which is not a namespace name"));
    boolean election =
        settings.choice(Env.LEADER_ELECTION, "false", List.of("true", "false")).equals("true");
    String leaseNamespace = settings.get(Env.LEASE_NAMESPACE, "");
    if (election && leaseNamespace.isEmpty()) {
      settings.problem(
          Env.LEASE_NAMESPACE, "is required with leader election: the operator's own namespace");
    }
    long retention = settings.number(Env.APPROVAL_RETENTION, 86_400, 60, 365L * 86_400);
    long port = settings.number(Env.METRICS_PORT, 8080, 0, 65_535);
    long threads =
        settings.number(
            Env.RECONCILE_THREADS,
            Math.max(2, 2 * Runtime.getRuntime().availableProcessors()),
            1,
            256);
    Level logLevel = LogLevel.read(settings);
    if (!settings.problems().isEmpty()) {
      throw new OperatorConfigException(settings.problems());
    }
    return new OperatorConfig(
        namespaces,
        election,
        leaseNamespace,
        settings.get(Env.LEASE_NAME, "tollgate-operator"),
        settings.get(Env.POD_NAME, "tollgate-operator-" + ProcessHandle.current().pid()),
        Duration.ofSeconds(retention),
        (int) port,
        (int) threads,
        logLevel);
  }
}
