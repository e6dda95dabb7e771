package dev.tollgate.e2e;

import dev.tollgate.webhook.InformerClusterState;
import dev.tollgate.webhook.WebhookConfig;
import dev.tollgate.webhook.WebhookConfigException;
import dev.tollgate.webhook.WebhookMain;
import dev.tollgate.webhook.admission.AdmissionRouter;
import dev.tollgate.webhook.delegation.DelegationCheck;
import dev.tollgate.webhook.delegation.SigningKeyStore;
import dev.tollgate.webhook.delegation.SubjectAccessReviews;
import dev.tollgate.webhook.http.AdmissionHttpHandler;
import dev.tollgate.webhook.http.WebhookServer;
import dev.tollgate.webhook.tls.SelfManagedTls;
import dev.tollgate.webhook.tls.SelfManagedTlsSettings;
import dev.tollgate.webhook.tls.ServiceNames;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The admission webhook in the test JVM, assembled as {@code WebhookMain} assembles it, with its
 * self-managed TLS (CA and serving certificate in a Secret, SAN IP:127.0.0.1, CA bundle patched
 * into the webhook configurations by the webhook itself), registered with the real API server
 * through {@code clientConfig.url: https://127.0.0.1:<port>/<path>}.
 */
public final class InProcessWebhook implements AutoCloseable {

  public static final String NAMESPACE = "tollgate-system";
  public static final String CONFIGURATION = "tollgate-e2e";

  /** Pods are injected in namespaces with this label (the chart's opt-in). */
  public static final String INJECTION_LABEL = "tollgate.dev/injection";

  public static final String SIDECAR_IMAGE = "registry.example/tollgate-sidecar:e2e";

  /** The one receiver an AgentIdentity may choose for its pods' audit copy here. */
  public static final String IDENTITY_AUDIT_ORIGIN = "http://team-logs.agents:8080";

  private final InformerClusterState cluster;
  private final SelfManagedTls tls;
  private final SigningKeyStore keys;
  private final WebhookServer server;
  private final boolean nativeSidecars;

  private InProcessWebhook(
      InformerClusterState cluster,
      SelfManagedTls tls,
      SigningKeyStore keys,
      WebhookServer server,
      boolean nativeSidecars) {
    this.cluster = cluster;
    this.tls = tls;
    this.keys = keys;
    this.server = server;
    this.nativeSidecars = nativeSidecars;
  }

  /** Registers the webhook configurations, then starts serving them. CRDs must be established. */
  static InProcessWebhook start(KubernetesClient admin) {
    int port = freePort();
    Manifests.applyYaml(
        admin,
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: %1$s}
        ---
        # As the chart grants it: every service account reads the public delegation keys.
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: tollgate-delegation-public-keys, namespace: %1$s}
        rules:
          - {apiGroups: [""], resources: [configmaps], resourceNames: [tollgate-delegation-keys], verbs: [get]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: tollgate-delegation-public-keys, namespace: %1$s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: tollgate-delegation-public-keys}
        subjects:
          - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:serviceaccounts"}
        """
            .formatted(NAMESPACE));
    // caBundle is left out on purpose: the webhook's SelfManagedTls patches in its own CA, which is
    // the behaviour under test. Until then calls fail TLS, and failurePolicy Fail refuses them.
    Manifests.applyYaml(admin, configurations(port));
    WebhookConfig config;
    try {
      config =
          WebhookConfig.from(
              Map.of(),
              new String[] {
                "--namespace",
                NAMESPACE,
                "--port",
                String.valueOf(port),
                "--sidecar-image",
                SIDECAR_IMAGE,
                "--ip-sans",
                "127.0.0.1",
                "--mutating-configurations",
                CONFIGURATION,
                "--validating-configurations",
                CONFIGURATION,
                "--audit-export-identity-origins",
                IDENTITY_AUDIT_ORIGIN
              });
    } catch (WebhookConfigException e) {
      throw new IllegalStateException("webhook configuration: " + e.problems(), e);
    }
    InformerClusterState cluster = new InformerClusterState(admin);
    SelfManagedTls tls = null;
    SigningKeyStore keys = null;
    try {
      awaitSynced(cluster);
      boolean nativeSidecars = WebhookMain.supportsNativeSidecars(admin);
      tls =
          new SelfManagedTls(
              admin,
              SelfManagedTlsSettings.of(config.namespace(), config.service(), config.tlsSecret())
                  .withNames(
                      ServiceNames.of(config.service(), config.namespace())
                          .withIpAddresses(InetAddress.getByName("127.0.0.1")))
                  .withWebhookConfigurations(
                      config.mutatingConfigurations(), config.validatingConfigurations()));
      SSLContext sslContext = tls.start();
      keys =
          SigningKeyStore.start(
              admin, NAMESPACE, config.delegationKeys(), Clock.systemUTC(), Duration.ofSeconds(60));
      AdmissionRouter router =
          WebhookMain.router(
              config,
              cluster,
              nativeSidecars,
              Clock.systemUTC(),
              new DelegationCheck(new SubjectAccessReviews(admin), keys));
      WebhookServer server =
          new WebhookServer(
              "127.0.0.1",
              port,
              sslContext,
              new AdmissionHttpHandler(
                  router, new KubernetesSerialization(), (path, outcome, nanos) -> {}));
      server.start();
      return new InProcessWebhook(cluster, tls, keys, server, nativeSidecars);
    } catch (IOException | RuntimeException e) {
      if (tls != null) {
        tls.close();
      }
      if (keys != null) {
        keys.close();
      }
      cluster.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  public int port() {
    return server.port();
  }

  /** What the webhook detected from the API server's version. */
  public boolean nativeSidecars() {
    return nativeSidecars;
  }

  @Override
  public void close() {
    server.close();
    tls.close();
    keys.close();
    cluster.close();
  }

  private static String configurations(int port) {
    String url = "https://127.0.0.1:" + port;
    return """
        apiVersion: admissionregistration.k8s.io/v1
        kind: MutatingWebhookConfiguration
        metadata: {name: %1$s}
        webhooks:
          - name: pods.tollgate.dev
            clientConfig: {url: "%2$s%3$s"}
            rules:
              - {apiGroups: [""], apiVersions: [v1], resources: [pods], operations: [CREATE]}
            namespaceSelector:
              matchLabels: {%4$s: enabled}
            failurePolicy: Fail
            sideEffects: None
            reinvocationPolicy: IfNeeded
            admissionReviewVersions: [v1]
            timeoutSeconds: 10
          - name: workloads.tollgate.dev
            clientConfig: {url: "%2$s%7$s"}
            rules:
              - {apiGroups: [apps], apiVersions: [v1], resources: [deployments, replicasets, statefulsets, daemonsets], operations: [CREATE, UPDATE]}
              - {apiGroups: [batch], apiVersions: [v1], resources: [jobs, cronjobs], operations: [CREATE, UPDATE]}
            namespaceSelector:
              matchLabels: {%4$s: enabled}
            failurePolicy: Fail
            sideEffects: None
            admissionReviewVersions: [v1]
            timeoutSeconds: 10
          - name: approvals.tollgate.dev
            clientConfig: {url: "%2$s%5$s"}
            rules:
              - {apiGroups: [tollgate.dev], apiVersions: [v1alpha1], resources: [toolcallapprovals], operations: [CREATE, UPDATE]}
            failurePolicy: Fail
            sideEffects: None
            admissionReviewVersions: [v1]
            timeoutSeconds: 10
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingWebhookConfiguration
        metadata: {name: %1$s}
        webhooks:
          - name: agent-pods.tollgate.dev
            clientConfig: {url: "%2$s%8$s"}
            rules:
              - {apiGroups: [""], apiVersions: [v1], resources: [pods, pods/ephemeralcontainers], operations: [UPDATE]}
            namespaceSelector:
              matchLabels: {%4$s: enabled}
            failurePolicy: Fail
            sideEffects: None
            admissionReviewVersions: [v1]
            timeoutSeconds: 10
          - name: policies.tollgate.dev
            clientConfig: {url: "%2$s%6$s"}
            rules:
              - apiGroups: [tollgate.dev]
                apiVersions: [v1alpha1]
                resources: [agentidentities, toolscopes, toolpolicies]
                operations: [CREATE, UPDATE]
            failurePolicy: Fail
            sideEffects: None
            admissionReviewVersions: [v1]
            timeoutSeconds: 10
        """
        .formatted(
            CONFIGURATION,
            url,
            AdmissionRouter.MUTATE_PODS,
            INJECTION_LABEL,
            AdmissionRouter.MUTATE_APPROVALS,
            AdmissionRouter.VALIDATE_POLICIES,
            AdmissionRouter.MUTATE_WORKLOADS,
            AdmissionRouter.VALIDATE_PODS);
  }

  // The port is chosen before the server binds it, because the configurations that name it are
  // written before the TLS (and so the server) starts. Nothing else on loopback races for it here.
  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitSynced(InformerClusterState cluster) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (!cluster.synced()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "the webhook's informers (AgentIdentity, ToolScope) did not sync within 30s");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
