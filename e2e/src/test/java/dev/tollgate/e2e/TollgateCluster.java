package dev.tollgate.e2e;

import dev.tollgate.e2e.ControlPlane.User;
import dev.tollgate.operator.OperatorConfig;
import dev.tollgate.operator.OperatorConfigException;
import dev.tollgate.operator.TollgateOperator;
import dev.tollgate.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.awaitility.Awaitility;

/**
 * Everything the end-to-end tests share, started once per test run: the control plane, Tollgate's
 * CRDs, the webhook and the operator (both in this JVM, as their mains assemble them).
 *
 * <p>The operator watches {@link #AGENTS} only, so that the leader-election test can run replicas
 * of its own on another namespace without two operators reconciling the same objects.
 */
public final class TollgateCluster implements AutoCloseable {

  /** The namespace of examples/ (examples/namespace.yaml). */
  public static final String AGENTS = "agents";

  private static final Logger LOG = Logger.getLogger(TollgateCluster.class.getName());
  private static TollgateCluster shared;
  // A failed start is not retried by every later test class (each try can take minutes).
  private static RuntimeException startFailure;

  private final Path repoRoot;
  private final ControlPlane controlPlane;
  private final KubernetesClient admin;
  private InProcessWebhook webhook;
  private TollgateOperator operator;
  private boolean closed;

  private TollgateCluster(Path repoRoot, ControlPlane controlPlane) {
    this.repoRoot = repoRoot;
    this.controlPlane = controlPlane;
    try {
      this.admin = controlPlane.client(User.ADMIN);
    } catch (RuntimeException e) {
      controlPlane.close();
      throw e;
    }
  }

  /**
   * The one cluster of this test run, started on first use. A JVM shutdown hook stops it too, in
   * case the run is interrupted before the extension's explicit stop.
   */
  public static synchronized TollgateCluster shared() {
    if (startFailure != null) {
      throw new IllegalStateException(
          "the Tollgate cluster failed to start earlier in this run", startFailure);
    }
    if (shared == null) {
      Path root =
          Path.of(System.getProperty("tollgate.repoRoot", "..")).toAbsolutePath().normalize();
      Path dir =
          Path.of(
                  System.getProperty(
                      "tollgate.controlPlaneDir",
                      root.resolve("e2e/target/control-plane").toString()))
              .toAbsolutePath()
              .normalize();
      long started = System.nanoTime();
      TollgateCluster cluster;
      try {
        cluster = new TollgateCluster(root, ControlPlane.start(root, dir));
      } catch (RuntimeException e) {
        startFailure = e;
        throw e;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "tollgate-e2e-shutdown"));
      try {
        cluster.startTollgate();
      } catch (RuntimeException e) {
        startFailure = e;
        cluster.close();
        throw e;
      }
      LOG.info(
          String.format("Tollgate cluster ready in %.1fs", (System.nanoTime() - started) / 1e9));
      shared = cluster;
    }
    return shared;
  }

  private void startTollgate() {
    applyCrds();
    webhook = InProcessWebhook.start(admin);
    operator =
        new TollgateOperator(admin, operatorConfig(), new OperatorMetrics(), Clock.systemUTC());
    operator.start();
  }

  /**
   * Runs {@code action} with the operator stopped, so that what it would repair at once (a deleted
   * bundle ConfigMap) stays as the test left it; then starts a new operator, which repairs it.
   */
  public synchronized void withoutOperator(Runnable action) {
    operator.close();
    try {
      action.run();
    } finally {
      operator =
          new TollgateOperator(admin, operatorConfig(), new OperatorMetrics(), Clock.systemUTC());
      operator.start();
    }
  }

  private static OperatorConfig operatorConfig() {
    try {
      return OperatorConfig.from(
          Map.of(),
          new String[] {
            "--namespaces", AGENTS, "--pod-name", "tollgate-e2e-operator", "--metrics-port", "0"
          });
    } catch (OperatorConfigException e) {
      throw new IllegalStateException("operator configuration: " + e.problems(), e);
    }
  }

  /**
   * Applies crds/ server side and waits until each is established; returns what the API server
   * holds.
   */
  public List<CustomResourceDefinition> applyCrds() {
    List<String> names =
        Manifests.yamlFiles(repoRoot.resolve("crds")).stream()
            .flatMap(file -> Manifests.apply(admin, Manifests.read(file)).stream())
            .map(crd -> crd.getMetadata().getName())
            .toList();
    return names.stream()
        .map(
            name -> {
              Awaitility.await("CRD " + name + " established")
                  .atMost(Duration.ofSeconds(30))
                  .pollInterval(Duration.ofMillis(100))
                  .until(
                      () ->
                          Conditions.isTrue(
                              admin
                                  .apiextensions()
                                  .v1()
                                  .customResourceDefinitions()
                                  .withName(name)
                                  .get(),
                              "Established"));
              return admin.apiextensions().v1().customResourceDefinitions().withName(name).get();
            })
        .toList();
  }

  public Path repoRoot() {
    return repoRoot;
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  /** The cluster-admin client the fixture uses; tests must not close it. */
  public KubernetesClient admin() {
    return admin;
  }

  public InProcessWebhook webhook() {
    return webhook;
  }

  /** Stops the operator, the webhook and then the control plane processes. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("stopping the Tollgate cluster (on thread " + Thread.currentThread().getName() + ")");
    try {
      if (operator != null) {
        operator.close();
      }
      if (webhook != null) {
        webhook.close();
      }
      admin.close();
    } finally {
      controlPlane.close();
    }
  }
}
