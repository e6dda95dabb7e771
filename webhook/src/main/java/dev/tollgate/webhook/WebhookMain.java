package dev.tollgate.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.runtime.logging.JsonLogging;
import dev.tollgate.webhook.admission.AdmissionController;
import dev.tollgate.webhook.admission.AdmissionRouter;
import dev.tollgate.webhook.delegation.DelegationCheck;
import dev.tollgate.webhook.delegation.SigningKeyStore;
import dev.tollgate.webhook.delegation.SubjectAccessReviews;
import dev.tollgate.webhook.delegation.WorkloadDelegationController;
import dev.tollgate.webhook.http.AdmissionHttpHandler;
import dev.tollgate.webhook.http.WebhookServer;
import dev.tollgate.webhook.injection.ClusterState;
import dev.tollgate.webhook.injection.InjectionSettings;
import dev.tollgate.webhook.injection.PodInjectionController;
import dev.tollgate.webhook.injection.PodUpdateGuard;
import dev.tollgate.webhook.injection.SidecarInjection;
import dev.tollgate.webhook.tls.FileTls;
import dev.tollgate.webhook.tls.SelfManagedTls;
import dev.tollgate.webhook.tls.SelfManagedTlsSettings;
import dev.tollgate.webhook.tls.ServiceNames;
import dev.tollgate.webhook.tls.WebhookTls;
import dev.tollgate.webhook.validation.ApprovalGuardController;
import dev.tollgate.webhook.validation.PolicyValidationController;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * {@code java -jar tollgate-webhook.jar}: the admission webhook, meant to run as two or more
 * replicas.
 */
public final class WebhookMain {

  private static final Logger LOG = Logger.getLogger(WebhookMain.class.getName());

  /** How often the signing keys are re-read, so a rotated key is picked up without a restart. */
  private static final Duration KEY_REFRESH = Duration.ofSeconds(60);

  private WebhookMain() {}

  public static void main(String[] args) throws Exception {
    // The JDK server leaves Nagle on unless told otherwise, and an answer then waits ~40 ms for the
    // client's delayed ACK. Set before any server class reads it, whatever the JVM flags say.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    JsonLogging.install(Level.INFO);
    WebhookConfig config;
    try {
      config = WebhookConfig.from(System.getenv(), args);
    } catch (WebhookConfigException e) {
      e.problems().forEach(problem -> System.err.println("tollgate-webhook: " + problem));
      System.exit(2);
      return;
    }
    JsonLogging.setLevel(config.logLevel());
    KubernetesClient client = new KubernetesClientBuilder().build();
    InformerClusterState cluster = new InformerClusterState(client);
    boolean nativeSidecars =
        switch (config.nativeSidecars()) {
          case "true" -> true;
          case "false" -> false;
          default -> supportsNativeSidecars(client);
        };
    WebhookTls tls = tls(config, client);
    SSLContext sslContext = tls.start();
    WebhookMetrics metrics = new WebhookMetrics();
    metrics.bindJvmAndProcess();
    SigningKeyStore keys =
        SigningKeyStore.start(
            client, config.namespace(), config.delegationKeys(), Clock.systemUTC(), KEY_REFRESH);
    AdmissionRouter router =
        router(
            config,
            cluster,
            nativeSidecars,
            Clock.systemUTC(),
            new DelegationCheck(new SubjectAccessReviews(client), keys));
    WebhookServer server =
        new WebhookServer(
            "0.0.0.0",
            config.port(),
            sslContext,
            new AdmissionHttpHandler(router, new KubernetesSerialization(), metrics));
    HttpServer ops = ops(config.metricsPort(), metrics, cluster);
    server.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  ops.stop(0);
                  closeQuietly(tls);
                  keys.close();
                  cluster.close();
                  client.close();
                  stopped.countDown();
                },
                "tollgate-webhook-shutdown"));
    LOG.info(
        "admission webhook on :"
            + server.port()
            + " ("
            + config.tlsMode()
            + " TLS, "
            + (nativeSidecars ? "native sidecars" : "sidecar as a plain container")
            + "), metrics on :"
            + ops.getAddress().getPort());
    stopped.await();
  }

  /** The webhook's routes, as the tests assemble them too. */
  public static AdmissionRouter router(
      WebhookConfig config,
      ClusterState cluster,
      boolean nativeSidecars,
      Clock clock,
      DelegationCheck delegation) {
    InjectionSettings injection =
        new InjectionSettings(
            config.sidecarImage(),
            config.imagePullPolicy(),
            List.of(
                "java",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-cp",
                "/app/tollgate-sidecar.jar",
                "dev.tollgate.sidecar.install.HookInstaller"),
            config.sidecarJvmOptions(),
            config.sidecarResources().cpuRequest(),
            config.sidecarResources().memoryRequest(),
            config.sidecarResources().cpuLimit(),
            config.sidecarResources().memoryLimit(),
            nativeSidecars,
            config.agentHome(),
            config.sidecarUser(),
            config.namespace() + "/" + config.delegationKeys(),
            List.of(
                "java",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-cp",
                "/app/tollgate-sidecar.jar",
                "dev.tollgate.sidecar.install.EgressRuleInstaller"),
            config.egressInit(),
            config.gitMirrorSizeLimit(),
            config.sidecarMaxCpu(),
            config.sidecarMaxMemory(),
            config.auditExport());
    Set<String> excluded = Set.of("kube-system", config.namespace());
    Map<String, AdmissionController> routes =
        Map.of(
            AdmissionRouter.MUTATE_PODS,
                new PodInjectionController(
                    cluster, new SidecarInjection(injection), delegation, excluded),
            AdmissionRouter.MUTATE_WORKLOADS,
                new WorkloadDelegationController(delegation, excluded),
            AdmissionRouter.VALIDATE_PODS, new PodUpdateGuard(config.sidecarUser()),
            AdmissionRouter.VALIDATE_POLICIES, new PolicyValidationController(config.auditExport()),
            AdmissionRouter.MUTATE_APPROVALS, new ApprovalGuardController(cluster, clock));
    return new AdmissionRouter(routes);
  }

  private static WebhookTls tls(WebhookConfig config, KubernetesClient client) throws IOException {
    if (config.tlsMode().equals("files")) {
      return new FileTls(config.certDir(), Duration.ofMinutes(1));
    }
    ServiceNames names = ServiceNames.of(config.service(), config.namespace());
    if (!config.ipSans().isEmpty()) {
      InetAddress[] addresses = new InetAddress[config.ipSans().size()];
      for (int i = 0; i < addresses.length; i++) {
        addresses[i] = InetAddress.getByName(config.ipSans().get(i));
      }
      names = names.withIpAddresses(addresses);
    }
    return new SelfManagedTls(
        client,
        SelfManagedTlsSettings.of(config.namespace(), config.service(), config.tlsSecret())
            .withNames(names)
            .withWebhookConfigurations(
                config.mutatingConfigurations(), config.validatingConfigurations()));
  }

  /** Native sidecars (init containers with restartPolicy Always) are on by default from 1.29. */
  public static boolean supportsNativeSidecars(KubernetesClient client) {
    var version = client.getKubernetesVersion();
    String minor = version.getMinor().replaceAll("[^0-9]", "");
    return Integer.parseInt(version.getMajor()) > 1
        || (!minor.isEmpty() && Integer.parseInt(minor) >= 29);
  }

  private static HttpServer ops(int port, WebhookMetrics metrics, InformerClusterState cluster)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
    server.createContext("/metrics", exchange -> respond(exchange, 200, metrics.scrape()));
    server.createContext("/healthz", exchange -> respond(exchange, 200, "ok\n"));
    server.createContext(
        "/readyz",
        exchange ->
            respond(
                exchange,
                cluster.synced() ? 200 : 503,
                cluster.synced() ? "ready\n" : "informers not synced\n"));
    server.start();
    return server;
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  private static void closeQuietly(WebhookTls tls) {
    try {
      tls.close();
    } catch (Exception e) {
      LOG.warning("closing TLS: " + e.getMessage());
    }
  }
}
