package dev.tollgate.operator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's whole configuration, from environment variables and flags (a flag wins),
 * validated at start: every bad setting is reported by name.
 *
 * @param namespaces the namespaces to watch; empty for all
 * @param leaderElection whether to elect a leader (on for more than one replica)
 * @param leaseNamespace where the Lease lives (the operator's own namespace)
 * @param leaseName the Lease's name
 * @param identityName this replica's name in the Lease (the pod name)
 * @param approvalRetention how long decided or expired ToolCallApprovals are kept
 * @param metricsPort the port of /metrics, /healthz and /readyz (0 picks a free one)
 * @param reconcileThreads how many reconciles run at once (JOSDK's default of 50 only makes CPU-bound
 *     compiles queue behind each other on a small pod)
 */
public record OperatorConfig(
    Set<String> namespaces,
    boolean leaderElection,
    String leaseNamespace,
    String leaseName,
    String identityName,
    Duration approvalRetention,
    int metricsPort,
    int reconcileThreads) {

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

  private static final Map<String, String> FLAGS = Map.of(
      "--namespaces", Env.NAMESPACES,
      "--leader-election", Env.LEADER_ELECTION,
      "--lease-namespace", Env.LEASE_NAMESPACE,
      "--lease-name", Env.LEASE_NAME,
      "--pod-name", Env.POD_NAME,
      "--approval-retention-seconds", Env.APPROVAL_RETENTION,
      "--metrics-port", Env.METRICS_PORT,
      "--reconcile-threads", Env.RECONCILE_THREADS);

  public static OperatorConfig from(Map<String, String> env, String[] args) throws OperatorConfigException {
    List<String> problems = new ArrayList<>();
    Map<String, String> settings = new HashMap<>();
    FLAGS.values().forEach(name -> {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        settings.put(name, value.strip());
      }
    });
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String name = FLAGS.get(flag);
      if (name == null) {
        problems.add("unknown option " + flag + " (known: " + String.join(", ", FLAGS.keySet().stream().sorted().toList()) + ")");
        if (!arg.contains("=") && i + 1 < args.length && !args[i + 1].startsWith("-")) {
          i++;
        }
      } else if (arg.contains("=")) {
        settings.put(name, arg.substring(arg.indexOf('=') + 1));
      } else if (i + 1 < args.length) {
        settings.put(name, args[++i]);
      } else {
        problems.add(flag + " needs a value");
      }
    }
    Set<String> namespaces = Arrays.stream(settings.getOrDefault(Env.NAMESPACES, "").split(","))
        .map(String::strip).filter(n -> !n.isEmpty()).collect(Collectors.toUnmodifiableSet());
    namespaces.stream().filter(n -> !n.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")).forEach(n ->
        problems.add("--namespaces (" + Env.NAMESPACES + ") holds '" + n + "', which is not a namespace name"));
    String election = settings.getOrDefault(Env.LEADER_ELECTION, "false");
    if (!election.equals("true") && !election.equals("false")) {
      problems.add("--leader-election (" + Env.LEADER_ELECTION + ") must be true or false, got '" + election + "'");
    }
    String leaseNamespace = settings.getOrDefault(Env.LEASE_NAMESPACE, "");
    if (election.equals("true") && leaseNamespace.isEmpty()) {
      problems.add("--lease-namespace (" + Env.LEASE_NAMESPACE + ") is required with leader election: the operator's own namespace");
    }
    long retention = number(settings.getOrDefault(Env.APPROVAL_RETENTION, "86400"), "--approval-retention-seconds",
        60, 365L * 86_400, problems);
    long port = number(settings.getOrDefault(Env.METRICS_PORT, "8080"), "--metrics-port", 0, 65_535, problems);
    long threads = number(settings.getOrDefault(Env.RECONCILE_THREADS,
        String.valueOf(Math.max(2, 2 * Runtime.getRuntime().availableProcessors()))), "--reconcile-threads", 1, 256, problems);
    if (!problems.isEmpty()) {
      throw new OperatorConfigException(problems);
    }
    return new OperatorConfig(namespaces, election.equals("true"), leaseNamespace,
        settings.getOrDefault(Env.LEASE_NAME, "tollgate-operator"),
        settings.getOrDefault(Env.POD_NAME, "tollgate-operator-" + ProcessHandle.current().pid()),
        Duration.ofSeconds(retention), (int) port, (int) threads);
  }

  private static long number(String text, String what, long min, long max, List<String> problems) {
    try {
      long value = Long.parseLong(text.strip());
      if (value < min || value > max) {
        problems.add(what + " must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      problems.add(what + " must be a whole number, got '" + text + "'");
      return min;
    }
  }
}
