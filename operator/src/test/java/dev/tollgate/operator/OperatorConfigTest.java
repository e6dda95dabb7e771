package dev.tollgate.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void defaultsWatchEveryNamespaceWithoutElection() throws Exception {
    OperatorConfig config = OperatorConfig.from(Map.of(), new String[0]);
    assertThat(config.namespaces()).isEmpty();
    assertThat(config.leaderElection()).isFalse();
    assertThat(config.approvalRetention()).isEqualTo(Duration.ofDays(1));
    assertThat(config.metricsPort()).isEqualTo(8080);
  }

  @Test
  void readsEnvironmentAndFlags() throws Exception {
    OperatorConfig config =
        OperatorConfig.from(
            Map.of(
                "TOLLGATE_WATCH_NAMESPACES",
                "agents, team-a",
                "TOLLGATE_LEADER_ELECTION",
                "true",
                "POD_NAME",
                "op-1"),
            new String[] {
              "--lease-namespace", "tollgate-system", "--approval-retention-seconds=3600"
            });
    assertThat(config.namespaces()).containsExactlyInAnyOrder("agents", "team-a");
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.leaseNamespace()).isEqualTo("tollgate-system");
    assertThat(config.leaseName()).isEqualTo("tollgate-operator");
    assertThat(config.identityName()).isEqualTo("op-1");
    assertThat(config.approvalRetention()).isEqualTo(Duration.ofHours(1));
    assertThat(config.logLevel()).isEqualTo(Level.INFO);
    assertThat(OperatorConfig.from(Map.of("TOLLGATE_LOG_LEVEL", "debug"), new String[0]).logLevel())
        .isEqualTo(Level.FINE);
  }

  @Test
  void reportsEveryBadSetting() {
    assertThatThrownBy(
            () ->
                OperatorConfig.from(
                    Map.of("TOLLGATE_WATCH_NAMESPACES", "Agents"),
                    new String[] {
                      "--leader-election",
                      "yes",
                      "--metrics-port",
                      "99999",
                      "--approval-retention-seconds",
                      "5",
                      "--log-level",
                      "loud",
                      "--verbose"
                    }))
        .isInstanceOfSatisfying(
            OperatorConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "unknown option --verbose (known: --approval-retention-seconds, --leader-election, --lease-name, "
                            + "--lease-namespace, --log-level, --metrics-port, --namespaces, --pod-name, --reconcile-threads)",
                        "--namespaces (TOLLGATE_WATCH_NAMESPACES) holds 'Agents', which is not a namespace name",
                        "--leader-election (TOLLGATE_LEADER_ELECTION) must be true or false, got 'yes'",
                        "--approval-retention-seconds (TOLLGATE_APPROVAL_RETENTION_SECONDS) must be between 60 and 31536000, got 5",
                        "--metrics-port (TOLLGATE_METRICS_PORT) must be between 0 and 65535, got 99999",
                        "--log-level (TOLLGATE_LOG_LEVEL) must be one of trace, debug, info, warn, error, off, got 'loud'"));
    assertThatThrownBy(
            () -> OperatorConfig.from(Map.of(), new String[] {"--leader-election", "true"}))
        .hasMessageContaining(
            "--lease-namespace (TOLLGATE_LEASE_NAMESPACE) is required with leader election");
  }
}
