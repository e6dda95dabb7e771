package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.e2e.ControlPlane.User;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator jar as a process, as it runs in a pod: with leader election on, it takes the lease
 * and SIGTERM (what the kubelet sends) ends it promptly. JOSDK's exit-on-stop-leading used to call
 * System.exit from the shutdown hook, which blocks forever: the pod then hung until SIGKILL.
 */
@ExtendWith(TollgateClusterExtension.class)
class OperatorJarShutdownIT {

  private static final String NAMESPACE = "operator-jar";

  @Test
  void aLeaderElectedOperatorTakesTheLeaseAndStopsOnSigterm(TollgateCluster cluster)
      throws Exception {
    Path jar = cluster.repoRoot().resolve("operator/target/tollgate-operator.jar");
    assertThat(jar).as("the operator jar (mvn -pl e2e -am verify packages it)").exists();
    KubernetesClient admin = cluster.admin();
    Manifests.applyYaml(
        admin, "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + NAMESPACE + "}\n");
    Path log = cluster.controlPlane().dir().resolveSibling("operator-jar.log");

    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar",
                    jar.toString(),
                    "--namespaces",
                    NAMESPACE,
                    "--leader-election",
                    "true",
                    "--lease-namespace",
                    NAMESPACE,
                    "--pod-name",
                    "operator-jar-1",
                    "--metrics-port",
                    "0"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder
        .environment()
        .put("KUBECONFIG", cluster.controlPlane().kubeconfig(User.ADMIN).toString());
    Process operator = builder.start();
    try {
      Awaitility.await("the operator process holds Lease " + NAMESPACE + "/tollgate-operator")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                assertThat(operator.isAlive())
                    .as("operator process alive; log:\n" + read(log))
                    .isTrue();
                Lease lease =
                    admin.leases().inNamespace(NAMESPACE).withName("tollgate-operator").get();
                return lease != null
                    && "operator-jar-1".equals(lease.getSpec().getHolderIdentity());
              });

      operator.destroy(); // SIGTERM to this PID

      boolean exited = operator.waitFor(15, TimeUnit.SECONDS);
      assertThat(exited)
          .as("the operator exits within 15s of SIGTERM; log:\n" + read(log))
          .isTrue();
    } finally {
      if (operator.isAlive()) {
        operator.destroyForcibly().waitFor();
      }
    }
  }

  private static String read(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
