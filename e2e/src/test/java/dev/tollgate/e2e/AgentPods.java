package dev.tollgate.e2e;

import static dev.tollgate.e2e.TollgateCluster.AGENTS;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * Agent pods of examples/' repo-coder, created through the real API server (so the webhook injects
 * them; they stay Pending), and the credentials their sidecar would have in the pod: a token of the
 * identity's service account, issued by TokenRequest.
 */
final class AgentPods {

  static final String IDENTITY = "repo-coder";
  static final String SERVICE_ACCOUNT = "repo-coder";

  /** The principal the pods act for: repo-coder requires one, and user:alice is allowed. */
  static final String PRINCIPAL = "alice";

  private AgentPods() {}

  /**
   * Opts the agents namespace in, makes sure the identity's service account exists, waits for the
   * pod webhook and for the operator's sidecar Role and RoleBinding, then creates the pod.
   */
  static Pod create(TollgateCluster cluster, String name) {
    KubernetesClient admin = cluster.admin();
    admin
        .namespaces()
        .withName(AGENTS)
        .edit(
            ns -> {
              ns.getMetadata().getLabels().put(InProcessWebhook.INJECTION_LABEL, "enabled");
              return ns;
            });
    Manifests.applyYaml(
        admin,
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: %s, namespace: %s}
        """
            .formatted(SERVICE_ACCOUNT, AGENTS));
    Awaitility.await("the pod webhook is active")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () ->
                admin
                    .pods()
                    .inNamespace(AGENTS)
                    .resource(pod(name + "-dry-run"))
                    .dryRun()
                    .create()
                    .getMetadata()
                    .getAnnotations()
                    .containsKey("tollgate.dev/injected"));
    String rbac = "tollgate-sidecar-" + IDENTITY;
    Awaitility.await("the operator's Role and RoleBinding " + rbac)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                admin.rbac().roles().inNamespace(AGENTS).withName(rbac).get() != null
                    && admin.rbac().roleBindings().inNamespace(AGENTS).withName(rbac).get()
                        != null);
    return admin.pods().inNamespace(AGENTS).resource(pod(name)).create();
  }

  /**
   * A kubeconfig whose only credential is a fresh token of the identity's service account: what the
   * sidecar authenticates with in the pod. Nothing else (no client certificate) goes in it.
   */
  static Path serviceAccountKubeconfig(TollgateCluster cluster, Path file) {
    TokenRequest token =
        cluster
            .admin()
            .serviceAccounts()
            .inNamespace(AGENTS)
            .withName(SERVICE_ACCOUNT)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build());
    String server =
        cluster.controlPlane().config(ControlPlane.User.ADMIN).getMasterUrl().replaceAll("/+$", "");
    String kubeconfig =
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: e2e
            cluster: {server: "%s", certificate-authority: "%s"}
        users:
          - name: %s
            user: {token: "%s"}
        contexts:
          - name: agent
            context: {cluster: e2e, user: %s, namespace: %s}
        current-context: agent
        """
            .formatted(
                server,
                cluster.controlPlane().dir().resolve("ca.crt"),
                SERVICE_ACCOUNT,
                token.getStatus().getToken(),
                SERVICE_ACCOUNT,
                AGENTS);
    try {
      Files.writeString(file, kubeconfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of("app.kubernetes.io/name", IDENTITY))
        .withAnnotations(Map.of("tollgate.dev/on-behalf-of", PRINCIPAL))
        .endMetadata()
        .withSpec(spec(SERVICE_ACCOUNT))
        .build();
  }

  /**
   * An agent pod's spec: one container, run as an explicit non-root user other than the decision
   * point's (the webhook refuses any other).
   */
  static PodSpec spec(String serviceAccount) {
    return new PodSpecBuilder()
        .withServiceAccountName(serviceAccount)
        .withNewSecurityContext()
        .withRunAsUser(1000L)
        .withRunAsGroup(1000L)
        .endSecurityContext()
        .addNewContainer()
        .withName("agent")
        .withImage("registry.example/claude-code:e2e")
        .endContainer()
        .build();
  }
}
