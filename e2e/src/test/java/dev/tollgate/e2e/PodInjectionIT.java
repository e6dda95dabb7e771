package dev.tollgate.e2e;

import static dev.tollgate.e2e.TollgateCluster.AGENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.e2e.ControlPlane.User;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real API server calls the in-process webhook for agent pods and stores what it returns: the
 * pods stay Pending (no scheduler, no kubelet), which is enough to see the injection.
 */
@ExtendWith(TollgateClusterExtension.class)
class PodInjectionIT {

  private static KubernetesClient admin;
  private static AgentIdentity repoCoder;

  @BeforeAll
  static void optInTheAgentsNamespace(TollgateCluster cluster) {
    admin = cluster.admin();
    Examples.apply(cluster);
    admin
        .namespaces()
        .withName(AGENTS)
        .edit(
            ns -> {
              ns.getMetadata().getLabels().put(InProcessWebhook.INJECTION_LABEL, "enabled");
              return ns;
            });
    repoCoder = Identities.awaitReady(admin, AGENTS, "repo-coder");
    // The API server picks up a new or re-keyed webhook configuration a moment after it is
    // written: wait until a dry run comes back injected before the real case.
    Awaitility.await("the pod webhook is active")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () ->
                admin
                    .pods()
                    .inNamespace(AGENTS)
                    .resource(agentPod("dry-run", "repo-coder"))
                    .dryRun()
                    .create()
                    .getMetadata()
                    .getAnnotations()
                    .containsKey("tollgate.dev/injected"));
  }

  @Test
  void anAgentPodIsStoredWithTheDecisionPointInjected() {
    Pod stored =
        admin.pods().inNamespace(AGENTS).resource(agentPod("repo-coder-1", "repo-coder")).create();

    assertThat(stored.getMetadata().getAnnotations())
        .containsEntry("tollgate.dev/injected", "true")
        .containsEntry("tollgate.dev/identity", AGENTS + "/repo-coder")
        .containsEntry(
            "tollgate.dev/bundle-revision", repoCoder.getStatus().getBundle().getRevision())
        .containsEntry("tollgate.dev/requested-by", User.ADMIN.userName())
        .containsEntry("tollgate.dev/on-behalf-of", "alice");
    Container sidecar =
        stored.getSpec().getInitContainers().stream()
            .filter(c -> c.getName().equals("tollgate-sidecar"))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no tollgate-sidecar init container in "
                            + stored.getSpec().getInitContainers()));
    assertThat(sidecar.getImage()).isEqualTo(InProcessWebhook.SIDECAR_IMAGE);
    assertThat(sidecar.getRestartPolicy())
        .as("a native sidecar: Kubernetes 1.34 has them")
        .isEqualTo("Always");
    assertThat(stored.getSpec().getInitContainers())
        .extracting(Container::getName)
        .contains("tollgate-install");
    assertThat(stored.getSpec().getVolumes())
        .anySatisfy(
            volume -> {
              assertThat(volume.getConfigMap()).isNotNull();
              assertThat(volume.getConfigMap().getName()).isEqualTo("tollgate-bundle-repo-coder");
            });
    Container agent =
        stored.getSpec().getContainers().stream()
            .filter(c -> c.getName().equals("agent"))
            .findFirst()
            .orElseThrow();
    assertThat(agent.getEnv())
        .anySatisfy(
            env -> {
              assertThat(env.getName()).isEqualTo("TOLLGATE_URL");
              assertThat(env.getValue()).isEqualTo("http://127.0.0.1:9440");
            });
    assertThat(agent.getVolumeMounts())
        .anySatisfy(
            mount -> {
              assertThat(mount.getMountPath()).isEqualTo("/opt/tollgate/bin");
              assertThat(mount.getReadOnly()).isTrue();
            });
    assertThat(agent.getVolumeMounts())
        .as("the bundle is the sidecar's alone")
        .noneSatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/etc/tollgate/bundle"));
  }

  @Test
  void anAgentPodUnderAnotherServiceAccountIsRefusedWithTheWebhooksReason() {
    assertThatThrownBy(
            () ->
                admin.pods().inNamespace(AGENTS).resource(agentPod("impostor", "default")).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("admission webhook \"pods.tollgate.dev\" denied the request")
        .hasMessageContaining(
            "pod runs under service account default, but AgentIdentity agents/repo-coder selects it "
                + "and requires service account repo-coder");
    assertThat(admin.pods().inNamespace(AGENTS).withName("impostor").get()).isNull();
  }

  @Test
  void aPodsAnnotationsSetItsDecisionPointsResourcesWithinTheCaps() {
    Pod pod = agentPod("repo-coder-big", "repo-coder");
    pod.getMetadata().getAnnotations().put("tollgate.dev/sidecar-memory-request", "128Mi");
    pod.getMetadata().getAnnotations().put("tollgate.dev/sidecar-memory-limit", "256Mi");
    Pod stored = admin.pods().inNamespace(AGENTS).resource(pod).create();
    Container sidecar =
        stored.getSpec().getInitContainers().stream()
            .filter(c -> c.getName().equals("tollgate-sidecar"))
            .findFirst()
            .orElseThrow();
    assertThat(sidecar.getResources().getRequests().get("memory").toString()).isEqualTo("128Mi");
    assertThat(sidecar.getResources().getLimits().get("memory").toString()).isEqualTo("256Mi");
    assertThat(sidecar.getResources().getLimits().get("cpu").toString())
        .as("what the pod did not ask stays the cluster's")
        .isEqualTo("500m");
  }

  @Test
  void jvmFlagsOrResourcesAboveTheCapRefuseThePod() {
    Pod javaAgent = agentPod("repo-coder-agent", "repo-coder");
    javaAgent
        .getMetadata()
        .getAnnotations()
        .put("tollgate.dev/sidecar-jvm-options", "-javaagent:/work/spy.jar");
    assertThatThrownBy(() -> admin.pods().inNamespace(AGENTS).resource(javaAgent).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("admission webhook \"pods.tollgate.dev\" denied the request")
        .hasMessageContaining(
            "annotation tollgate.dev/sidecar-jvm-options is refused: the decision point's JVM"
                + " flags are the cluster's");
    assertThat(admin.pods().inNamespace(AGENTS).withName("repo-coder-agent").get()).isNull();

    Pod greedy = agentPod("repo-coder-greedy", "repo-coder");
    greedy.getMetadata().getAnnotations().put("tollgate.dev/sidecar-memory-limit", "64Gi");
    assertThatThrownBy(() -> admin.pods().inNamespace(AGENTS).resource(greedy).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(
            "annotation tollgate.dev/sidecar-memory-limit asks 64Gi, above the 1Gi");
    assertThat(admin.pods().inNamespace(AGENTS).withName("repo-coder-greedy").get()).isNull();
  }

  @Test
  void aPodNoIdentitySelectsIsLeftAlone() {
    Pod plain =
        new PodBuilder()
            .withNewMetadata()
            .withName("plain")
            .withLabels(Map.of("app", "other"))
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("main")
            .withImage("busybox")
            .endContainer()
            .endSpec()
            .build();

    Pod stored = admin.pods().inNamespace(AGENTS).resource(plain).create();

    assertThat(stored.getMetadata().getAnnotations()).doesNotContainKey("tollgate.dev/injected");
    assertThat(stored.getSpec().getInitContainers()).isEmpty();
  }

  /**
   * An identity's own audit receiver goes through the whole chain: the CRD stores the field, the
   * policy webhook refuses at apply a receiver the cluster does not list, and the pod webhook gives
   * the listed one to the identity's decision points.
   */
  @Test
  void anIdentitysOwnAuditReceiverMustBeOneTheClusterListsAndReachesItsDecisionPoints() {
    String identity =
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: audited, namespace: %s}
        spec:
          selector: {matchLabels: {app.kubernetes.io/name: audited}}
          serviceAccountName: audited
          toolScopes: [{name: docs-tools}]
          # The pod's creator acts for itself here.
          delegation: {allowedPrincipals: ["user:tollgate-e2e-admin"]}
          auditExport: {endpoint: "%s"}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: audited, namespace: %s}
        """;
    assertThatThrownBy(
            () ->
                Manifests.applyYaml(
                    admin,
                    identity.formatted(AGENTS, "http://169.254.169.254:8080/collect", AGENTS)))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("admission webhook \"policies.tollgate.dev\" denied the request")
        .hasMessageContaining(
            "spec.auditExport.endpoint http://169.254.169.254:8080/collect is not a receiver the"
                + " cluster lets identities choose (--audit-export-identity-origins: "
                + InProcessWebhook.IDENTITY_AUDIT_ORIGIN
                + ")");
    assertThat(admin.resources(AgentIdentity.class).inNamespace(AGENTS).withName("audited").get())
        .isNull();

    String endpoint = InProcessWebhook.IDENTITY_AUDIT_ORIGIN + "/audit";
    Manifests.applyYaml(admin, identity.formatted(AGENTS, endpoint, AGENTS));
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("audited-1")
            .withLabels(Map.of("app.kubernetes.io/name", "audited"))
            .endMetadata()
            .withSpec(AgentPods.spec("audited"))
            .build();
    // The webhook's informer sees the new identity a moment after it is stored.
    Pod stored =
        Awaitility.await("a pod of the new identity injected with its receiver")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(250))
            .ignoreExceptions()
            .until(
                () -> admin.pods().inNamespace(AGENTS).resource(pod).dryRun().create(),
                created ->
                    created.getMetadata().getAnnotations().containsKey("tollgate.dev/injected"));
    Container sidecar =
        stored.getSpec().getInitContainers().stream()
            .filter(c -> c.getName().equals("tollgate-sidecar"))
            .findFirst()
            .orElseThrow();
    assertThat(sidecar.getEnv())
        .anySatisfy(
            env -> {
              assertThat(env.getName()).isEqualTo("TOLLGATE_AUDIT_EXPORT_ENDPOINT");
              assertThat(env.getValue()).isEqualTo(endpoint);
            });
    admin.resources(AgentIdentity.class).inNamespace(AGENTS).withName("audited").delete();
    admin.serviceAccounts().inNamespace(AGENTS).withName("audited").delete();
  }

  private static Pod agentPod(String name, String serviceAccount) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of("app.kubernetes.io/name", "repo-coder"))
        // repo-coder requires a principal, and alice is one it may act for.
        .withAnnotations(new HashMap<>(Map.of("tollgate.dev/on-behalf-of", "alice")))
        .endMetadata()
        .withSpec(AgentPods.spec(serviceAccount))
        .build();
  }
}
