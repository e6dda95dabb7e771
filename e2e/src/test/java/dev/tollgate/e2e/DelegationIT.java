package dev.tollgate.e2e;

import static dev.tollgate.e2e.TollgateCluster.AGENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.e2e.ControlPlane.User;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainerBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who may claim whom, on the real API server with its authentication, RBAC and
 * SubjectAccessReviews: alice and mallory are users with client certificates, GitOps controllers
 * are service accounts with tokens, and the built-in controllers (this control plane runs no
 * controller manager) are impersonated by their service-account names, which is exactly what the
 * webhook sees from them in a cluster.
 */
@ExtendWith(TollgateClusterExtension.class)
class DelegationIT {

  private static final String PROOF = "tollgate.dev/delegation-proof";
  private static final String JOB_CONTROLLER = "system:serviceaccount:kube-system:job-controller";

  private static TollgateCluster cluster;
  private static KubernetesClient admin;
  private static KubernetesClient alice;
  private static KubernetesClient mallory;

  @BeforeAll
  static void usersWhoMayCreateAgentWorkloads(TollgateCluster tollgate) {
    cluster = tollgate;
    admin = cluster.admin();
    Examples.apply(cluster);
    Identities.awaitReady(admin, AGENTS, AgentPods.IDENTITY);
    Manifests.applyYaml(
        admin,
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: repo-coder, namespace: %1$s}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: gitops, namespace: %1$s}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: gitops-narrow, namespace: %1$s}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: e2e-workload-authors, namespace: %1$s}
        rules:
          - apiGroups: [""]
            resources: [pods, pods/ephemeralcontainers]
            verbs: [create, get, update, patch]
          - apiGroups: [apps]
            resources: [deployments]
            verbs: [create, get, update, patch]
          - apiGroups: [batch]
            resources: [jobs]
            verbs: [create, get]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: e2e-workload-authors, namespace: %1$s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: e2e-workload-authors}
        subjects:
          - {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}
          - {apiGroup: rbac.authorization.k8s.io, kind: User, name: mallory}
          - {kind: ServiceAccount, name: gitops, namespace: %1$s}
          - {kind: ServiceAccount, name: gitops-narrow, namespace: %1$s}
        ---
        # What README.md tells a platform team to grant a GitOps controller: impersonation of the
        # exact users (and groups) its workloads may claim, nothing wider.
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: e2e-gitops-may-claim-alice}
        rules:
          - apiGroups: [""]
            resources: [users]
            resourceNames: [alice]
            verbs: [impersonate]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: e2e-gitops-may-claim-alice}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: e2e-gitops-may-claim-alice}
        subjects:
          - {kind: ServiceAccount, name: gitops, namespace: %1$s}
        """
            .formatted(AGENTS));
    admin
        .namespaces()
        .withName(AGENTS)
        .edit(
            ns -> {
              ns.getMetadata().getLabels().put(InProcessWebhook.INJECTION_LABEL, "enabled");
              return ns;
            });
    alice = cluster.controlPlane().client(User.ALICE);
    mallory = cluster.controlPlane().client(User.MALLORY);
    Awaitility.await("the pod and workload webhooks are active")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () ->
                alice
                        .pods()
                        .inNamespace(AGENTS)
                        .resource(pod("warm", Map.of("tollgate.dev/on-behalf-of", "alice")))
                        .dryRun()
                        .create()
                        .getMetadata()
                        .getAnnotations()
                        .containsKey("tollgate.dev/injected")
                    && alice
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace(AGENTS)
                        .resource(job("warm", Map.of("tollgate.dev/on-behalf-of", "alice")))
                        .dryRun()
                        .create()
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations()
                        .containsKey(PROOF));
  }

  @AfterAll
  static void closeClients() {
    alice.close();
    mallory.close();
  }

  @Test
  void malloryCannotClaimAliceAndAliceGetsTheGroupsSheAuthenticatedWith() {
    assertThatThrownBy(
            () ->
                mallory
                    .pods()
                    .inNamespace(AGENTS)
                    .resource(pod("claims-alice", Map.of("tollgate.dev/on-behalf-of", "alice")))
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("mallory may not impersonate user alice");

    Pod accepted =
        alice
            .pods()
            .inNamespace(AGENTS)
            .resource(pod("alice-herself", Map.of("tollgate.dev/on-behalf-of", "alice")))
            .create();
    assertThat(accepted.getMetadata().getAnnotations())
        .containsEntry("tollgate.dev/on-behalf-of", "alice")
        .containsEntry("tollgate.dev/on-behalf-of-groups", "platform-approvers,release-managers");
    assertThat(env(sidecar(accepted), "TOLLGATE_PRINCIPAL")).isEqualTo("alice");

    assertThatThrownBy(
            () ->
                alice
                    .pods()
                    .inNamespace(AGENTS)
                    .resource(
                        pod(
                            "alice-more-groups",
                            Map.of(
                                "tollgate.dev/on-behalf-of", "alice",
                                "tollgate.dev/on-behalf-of-groups",
                                    "platform-approvers,cluster-admins")))
                    .create())
        .hasMessageContaining("alice is not in group cluster-admins and may not impersonate it");
  }

  @Test
  void aServiceAccountMayClaimExactlyTheUsersRbacLetsItImpersonate() {
    try (KubernetesClient gitops = serviceAccount("gitops");
        KubernetesClient narrow = serviceAccount("gitops-narrow")) {
      Pod viaGitops =
          gitops
              .pods()
              .inNamespace(AGENTS)
              .resource(pod("gitops-for-alice", Map.of("tollgate.dev/on-behalf-of", "alice")))
              .create();
      assertThat(viaGitops.getMetadata().getAnnotations())
          .containsEntry("tollgate.dev/on-behalf-of", "alice")
          .as("an impersonator names the groups it claims, or none")
          .containsEntry("tollgate.dev/on-behalf-of-groups", "");
      assertThatThrownBy(
              () ->
                  narrow
                      .pods()
                      .inNamespace(AGENTS)
                      .resource(
                          pod("narrow-for-alice", Map.of("tollgate.dev/on-behalf-of", "alice")))
                      .create())
          .hasMessageContaining(
              "system:serviceaccount:agents:gitops-narrow may not impersonate user alice");
      assertThatThrownBy(
              () ->
                  gitops
                      .pods()
                      .inNamespace(AGENTS)
                      .resource(
                          pod(
                              "gitops-groups",
                              Map.of(
                                  "tollgate.dev/on-behalf-of", "alice",
                                  "tollgate.dev/on-behalf-of-groups", "platform-approvers")))
                      .create())
          .as("impersonating a user is not impersonating their groups")
          .hasMessageContaining("may not impersonate group platform-approvers");
    }
  }

  @Test
  void aJobsProofReachesItsPodsAndACopyOnAnotherJobDoesNot() {
    Job alicesJob =
        alice
            .batch()
            .v1()
            .jobs()
            .inNamespace(AGENTS)
            .resource(job("alice-job", Map.of("tollgate.dev/on-behalf-of", "alice")))
            .create();
    Map<String, String> template = alicesJob.getSpec().getTemplate().getMetadata().getAnnotations();
    assertThat(template).containsKey(PROOF);

    try (KubernetesClient jobController = impersonating(JOB_CONTROLLER)) {
      Pod fromJob =
          jobController
              .pods()
              .inNamespace(AGENTS)
              .resource(podOf(alicesJob, "alice-job-x1", template))
              .create();
      assertThat(fromJob.getMetadata().getAnnotations())
          .containsEntry("tollgate.dev/on-behalf-of", "alice");

      assertThatThrownBy(
              () ->
                  mallory
                      .batch()
                      .v1()
                      .jobs()
                      .inNamespace(AGENTS)
                      .resource(job("mallory-job", template))
                      .create())
          .as("a copied proof does not let mallory create a workload that claims alice")
          .hasMessageContaining("Job agents/mallory-job: mallory may not impersonate user alice");

      // Her own Job, claiming nobody, is fine; a pod the Job controller would make for it with
      // alice's proof copied in (what a template edit would need to achieve) is not.
      Job malloryJob =
          mallory
              .batch()
              .v1()
              .jobs()
              .inNamespace(AGENTS)
              .resource(job("mallory-job", Map.of()))
              .create();
      assertThatThrownBy(
              () ->
                  jobController
                      .pods()
                      .inNamespace(AGENTS)
                      .resource(podOf(malloryJob, "mallory-job-x1", template))
                      .create())
          .hasMessageContaining("does not prove user alice");
    }
  }

  @Test
  void aTemplateChangeBySomeoneWhoMayNotClaimThePrincipalStripsTheProof() {
    Deployment created =
        alice.apps().deployments().inNamespace(AGENTS).resource(deployment("alice-coder")).create();
    assertThat(created.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey(PROOF);
    Deployment edited =
        mallory
            .apps()
            .deployments()
            .inNamespace(AGENTS)
            .withName("alice-coder")
            .edit(
                d -> {
                  d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil:1");
                  return d;
                });
    assertThat(edited.getSpec().getTemplate().getMetadata().getAnnotations())
        .doesNotContainKey(PROOF);
  }

  @Test
  void aRunningAgentPodsPrincipalAndDecisionPointCannotBeReachedAfterAdmission() throws Exception {
    Pod running =
        alice
            .pods()
            .inNamespace(AGENTS)
            .resource(pod("alice-running", Map.of("tollgate.dev/on-behalf-of", "alice")))
            .create();
    assertThatThrownBy(
            () ->
                alice
                    .pods()
                    .inNamespace(AGENTS)
                    .withName("alice-running")
                    .edit(
                        p -> {
                          p.getMetadata().getAnnotations().put("tollgate.dev/on-behalf-of", "bob");
                          return p;
                        }))
        .hasMessageContaining(
            "annotations tollgate.dev/on-behalf-of of agent pod agents/alice-running cannot change");

    assertThatThrownBy(
            () ->
                alice
                    .pods()
                    .inNamespace(AGENTS)
                    .withName("alice-running")
                    .ephemeralContainers()
                    .edit(
                        p -> {
                          p.getSpec()
                              .setEphemeralContainers(
                                  List.of(
                                      new EphemeralContainerBuilder()
                                          .withName("debugger")
                                          .withImage("busybox")
                                          .addNewVolumeMount()
                                          .withName("tollgate-bundle")
                                          .withMountPath("/steal")
                                          .endVolumeMount()
                                          .build()));
                          return p;
                        }))
        .hasMessageContaining("ephemeral container debugger mounts volume tollgate-bundle");

    assertThat(running.getSpec().getAutomountServiceAccountToken()).isFalse();
    Container agent =
        running.getSpec().getContainers().stream()
            .filter(c -> c.getName().equals("agent"))
            .findFirst()
            .orElseThrow();
    assertThat(agent.getVolumeMounts())
        .as("no token, no credentials, no bundle in the agent")
        .allSatisfy(m -> assertThat(m.getName()).isIn("tollgate-bin", "tollgate-claude-code"));
    assertThat(sidecar(running).getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("tollgate-token");
              assertThat(m.getMountPath())
                  .isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount");
            });
    // The agent container holds its environment and the hook client; none of it is a
    // credential, so what it can send the API server is an anonymous request.
    assertThat(anonymousStatus("/apis/tollgate.dev/v1alpha1/namespaces/agents/toolcallapprovals"))
        .isIn(401, 403);
    assertThat(anonymousStatus("/api/v1/namespaces/agents/pods")).isIn(401, 403);
  }

  /** The status of a request with no credential at all, over TLS verified with the cluster CA. */
  private static int anonymousStatus(String path) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream ca = Files.newInputStream(cluster.controlPlane().dir().resolve("ca.crt"))) {
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
    }
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trustManagers.getTrustManagers(), null);
    String server = cluster.controlPlane().config(User.ADMIN).getMasterUrl().replaceAll("/+$", "");
    HttpClient http =
        HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
    return http.send(
            HttpRequest.newBuilder(URI.create(server + path)).GET().build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void agentContainersWithoutAnExplicitNonRootUserOrWithTheSidecarsAreRefused() {
    Pod rootless = pod("no-user", Map.of("tollgate.dev/on-behalf-of", "alice"));
    rootless.getSpec().setSecurityContext(null);
    assertThatThrownBy(() -> alice.pods().inNamespace(AGENTS).resource(rootless).create())
        .hasMessageContaining("container agent has no runAsUser");
    Pod sidecarUser = pod("sidecar-user", Map.of("tollgate.dev/on-behalf-of", "alice"));
    sidecarUser.getSpec().getSecurityContext().setRunAsUser(65_100L);
    assertThatThrownBy(() -> alice.pods().inNamespace(AGENTS).resource(sidecarUser).create())
        .hasMessageContaining("container agent runs as user 65100, the decision point's own");
  }

  private static Pod pod(String name, Map<String, String> annotations) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of("app.kubernetes.io/name", AgentPods.IDENTITY))
        .withAnnotations(new HashMap<>(annotations))
        .endMetadata()
        .withSpec(spec())
        .build();
  }

  private static PodSpec spec() {
    return new PodSpecBuilder(AgentPods.spec(AgentPods.SERVICE_ACCOUNT))
        .withRestartPolicy("Never")
        .build();
  }

  private static Job job(String name, Map<String, String> annotations) {
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Map.of("app.kubernetes.io/name", AgentPods.IDENTITY))
        .withAnnotations(new HashMap<>(annotations))
        .endMetadata()
        .withSpec(spec())
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Deployment deployment(String name) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withReplicas(0)
        .withNewSelector()
        .withMatchLabels(Map.of("app.kubernetes.io/name", AgentPods.IDENTITY))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Map.of("app.kubernetes.io/name", AgentPods.IDENTITY))
        .withAnnotations(Map.of("tollgate.dev/on-behalf-of", "alice"))
        .endMetadata()
        .withSpec(new PodSpecBuilder(spec()).withRestartPolicy("Always").build())
        .endTemplate()
        .endSpec()
        .build();
  }

  /** The pod the Job controller makes: the template's metadata, owned by the Job. */
  private static Pod podOf(Job job, String name, Map<String, String> annotations) {
    Pod pod = pod(name, annotations);
    pod.getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion("batch/v1")
                    .withKind("Job")
                    .withName(job.getMetadata().getName())
                    .withUid(job.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build()));
    return pod;
  }

  private static Container sidecar(Pod pod) {
    return pod.getSpec().getInitContainers().stream()
        .filter(c -> c.getName().equals("tollgate-sidecar"))
        .findFirst()
        .orElseThrow();
  }

  private static String env(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getValue();
  }

  private static KubernetesClient impersonating(String user) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(cluster.controlPlane().config(User.ADMIN))
                .withImpersonateUsername(user)
                .withImpersonateGroups(
                    "system:serviceaccounts", "system:serviceaccounts:kube-system")
                .build())
        .build();
  }

  private static KubernetesClient serviceAccount(String name) {
    String token =
        admin
            .serviceAccounts()
            .inNamespace(AGENTS)
            .withName(name)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    return cluster.controlPlane().clientWithToken(token);
  }
}
