package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.e2e.ControlPlane.User;
import dev.tollgate.operator.LeaderElectionSettings;
import dev.tollgate.operator.OperatorConfig;
import dev.tollgate.operator.OperatorConfigException;
import dev.tollgate.operator.TollgateOperator;
import dev.tollgate.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two operator replicas against the real API server: one Lease, one holder, only the holder
 * reconciles, and the other takes over when the holder stops.
 */
@ExtendWith(TollgateClusterExtension.class)
class LeaderElectionIT {

  private static final String NAMESPACE = "leader-election";
  private static final String LEASE = "tollgate-operator";
  // Short timings so a takeover happens in seconds. Exit on stop leading is off: JOSDK would call
  // System.exit when a replica stops leading, which here is the test JVM (production keeps it on).
  private static final LeaderElectionSettings FAST =
      new LeaderElectionSettings(
          Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500), false);

  private final List<Replica> replicas = new ArrayList<>();

  private record Replica(
      String name, KubernetesClient client, OperatorMetrics metrics, TollgateOperator operator) {

    double reconciles() {
      return metrics
          .scrape()
          .lines()
          .filter(line -> line.startsWith("operator_sdk_reconciliations_started_total"))
          .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
          .sum();
    }

    void stop() {
      operator.close();
      client.close();
    }
  }

  @AfterEach
  void stopReplicas() {
    replicas.forEach(Replica::stop);
  }

  @Test
  void exactlyOneReplicaLeadsAndAnotherTakesOverWhenItStops(TollgateCluster cluster) {
    KubernetesClient admin = cluster.admin();
    admin.leases().inNamespace(NAMESPACE).withName(LEASE).delete();
    Manifests.applyYaml(
        admin,
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: %1$s}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: reading, namespace: %1$s}
        spec: {tools: [Read]}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: elected, namespace: %1$s}
        spec:
          selector: {matchLabels: {app: elected}}
          serviceAccountName: elected
          toolScopes: [{name: reading}]
          attributes: {round: "1"}
        """
            .formatted(NAMESPACE));

    Replica a = start("replica-a");
    Replica b = start("replica-b");

    String leader = awaitHolder(List.of("replica-a", "replica-b"));
    Replica leading = leader.equals(a.name()) ? a : b;
    Replica following = leading == a ? b : a;
    Identities.awaitReady(admin, NAMESPACE, "elected");
    assertThat(leading.reconciles()).as("the leader reconciles").isPositive();
    assertThat(following.reconciles()).as("the follower reconciles nothing").isZero();
    assertThat(holder(admin))
        .as("the lease stays with one holder while it renews")
        .isEqualTo(leader);

    leading.stop();
    replicas.remove(leading);

    // JOSDK does not release the lease on stop: the follower takes it once it expires.
    assertThat(awaitHolder(List.of(following.name()))).isEqualTo(following.name());
    AgentIdentity changed =
        admin
            .resources(AgentIdentity.class)
            .inNamespace(NAMESPACE)
            .withName("elected")
            .edit(
                identity -> {
                  identity.getSpec().setAttributes(Map.of("round", "2"));
                  return identity;
                });
    Awaitility.await(
            "the new leader reconciles generation " + changed.getMetadata().getGeneration())
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Identities.ready(Identities.get(admin, NAMESPACE, "elected")));
    assertThat(following.reconciles()).isPositive();
  }

  private Replica start(String name) {
    // A client of its own, as a replica in its own pod would have.
    KubernetesClient client = TollgateCluster.shared().controlPlane().client(User.ADMIN);
    OperatorMetrics metrics = new OperatorMetrics();
    OperatorConfig config;
    try {
      config =
          OperatorConfig.from(
              Map.of(),
              new String[] {
                "--namespaces",
                NAMESPACE,
                "--leader-election",
                "true",
                "--lease-namespace",
                NAMESPACE,
                "--lease-name",
                LEASE,
                "--pod-name",
                name,
                "--metrics-port",
                "0"
              });
    } catch (OperatorConfigException e) {
      throw new IllegalStateException(e.problems().toString(), e);
    }
    TollgateOperator operator =
        new TollgateOperator(client, config, metrics, Clock.systemUTC(), FAST);
    Replica replica = new Replica(name, client, metrics, operator);
    replicas.add(replica);
    operator.start();
    return replica;
  }

  private static String holder(KubernetesClient admin) {
    Lease lease = admin.leases().inNamespace(NAMESPACE).withName(LEASE).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static String awaitHolder(List<String> candidates) {
    KubernetesClient admin = TollgateCluster.shared().admin();
    return Awaitility.await("Lease " + NAMESPACE + "/" + LEASE + " held by one of " + candidates)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> holder(admin), candidates::contains);
  }
}
