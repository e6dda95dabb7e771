package dev.tollgate.operator;

import dev.tollgate.operator.metrics.OperatorMetrics;
import dev.tollgate.runtime.logging.JsonLogging;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code java -jar tollgate-operator.jar}: in a cluster it uses its service account; elsewhere the
 * current kubeconfig. Watches all namespaces or {@code --namespaces a,b}.
 */
public final class OperatorMain {

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    JsonLogging.install(Level.INFO);
    Logger log = Logger.getLogger(OperatorMain.class.getName());
    OperatorConfig config;
    try {
      config = OperatorConfig.from(System.getenv(), args);
    } catch (OperatorConfigException e) {
      e.problems().forEach(problem -> System.err.println("tollgate-operator: " + problem));
      System.exit(2);
      return;
    }
    JsonLogging.setLevel(config.logLevel());
    KubernetesClient client = new KubernetesClientBuilder().build();
    OperatorMetrics metrics = new OperatorMetrics();
    metrics.bindJvmAndProcess();
    TollgateOperator operator = new TollgateOperator(client, config, metrics, Clock.systemUTC());
    OperatorHttpServer http =
        new OperatorHttpServer(config.metricsPort(), metrics::scrape, operator::ready);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  http.close();
                  client.close();
                  stopped.countDown();
                },
                "tollgate-operator-shutdown"));
    operator.start();
    log.info(
        "tollgate operator started; namespaces "
            + (config.namespaces().isEmpty() ? "all" : config.namespaces())
            + (config.leaderElection()
                ? ", leader election on lease " + config.leaseNamespace() + "/" + config.leaseName()
                : "")
            + ", metrics on :"
            + http.port());
    stopped.await();
  }
}
