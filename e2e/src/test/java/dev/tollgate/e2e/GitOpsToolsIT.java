package dev.tollgate.e2e;

import static dev.tollgate.e2e.TollgateCluster.AGENTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.AgentIdentityStatus;
import dev.tollgate.operator.identity.IdentityStatusFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What GitOps tools conclude about Tollgate's objects on the real API server. Flux: the kstatus
 * library itself (its Kustomization health checks and {@code wait: true} use it). Argo CD, which
 * has no generic reading of custom resources: the health check README.md gives for {@code
 * argocd-cm}, run as Argo CD runs it. Both say ready once the operator has reconciled the current
 * generation (Current, Healthy), in progress before that and while it retries (InProgress,
 * Progressing), and failed when only an edit can help (Failed, Degraded).
 */
@ExtendWith(TollgateClusterExtension.class)
class GitOpsToolsIT {

  private static final String API = "tollgate.dev/v1alpha1";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static TollgateCluster cluster;
  private static KubernetesClient admin;
  private static Kstatus kstatus;
  private static ArgoCdHealth argoCd;

  @TempDir static Path dir;

  @BeforeAll
  static void setUp(TollgateCluster shared) {
    cluster = shared;
    admin = shared.admin();
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(AGENTS).endMetadata().build())
        .fieldManager(Manifests.FIELD_MANAGER)
        .forceConflicts()
        .serverSideApply();
    kstatus = Kstatus.build(shared.repoRoot());
    argoCd = ArgoCdHealth.build(shared.repoRoot(), dir);
  }

  @Test
  void fluxAndArgoCdSeeReadyInProgressAndFailedAsTheOperatorReportsThem() {
    Manifests.applyYaml(admin, scope());
    Manifests.applyYaml(admin, identity("flux-scope"));
    Manifests.applyYaml(admin, policy());

    for (String[] object :
        new String[][] {
          {"ToolScope", "flux-scope"},
          {"ToolPolicy", "flux-policy"},
          {"AgentIdentity", "flux-agent"}
        }) {
      awaitVerdict(object[0], object[1], "Current");
      assertThat(argoCd.of(get(object[0], object[1])).status()).as(object[0]).isEqualTo("Healthy");
    }

    Manifests.applyYaml(admin, identity("flux-missing"));
    GitOpsVerdict failed = awaitVerdict("AgentIdentity", "flux-agent", "Failed");
    assertThat(failed.message()).contains("ToolScope agents/flux-missing does not exist");
    GitOpsVerdict degraded = argoCd.of(get("AgentIdentity", "flux-agent"));
    assertThat(degraded.status()).isEqualTo("Degraded");
    assertThat(degraded.message()).contains("ToolScope agents/flux-missing does not exist");

    // With no operator to observe it, a new generation is not yet reconciled.
    cluster.withoutOperator(
        () -> {
          Manifests.applyYaml(admin, identity("flux-scope"));
          GenericKubernetesResource changed = get("AgentIdentity", "flux-agent");
          GitOpsVerdict pending = kstatus.of(changed);
          assertThat(pending.status()).isEqualTo("InProgress");
          assertThat(pending.message()).contains("latest observed generation");
          // Its old Stalled condition is of an older generation: not Degraded, waiting.
          assertThat(argoCd.of(changed).status()).isEqualTo("Progressing");
        });
    awaitVerdict("AgentIdentity", "flux-agent", "Current");
    assertThat(argoCd.of(get("AgentIdentity", "flux-agent")).status()).isEqualTo("Healthy");
  }

  @Test
  void aFailingReconcileIsInProgressWhileRetriedAndFailedAfterTheLastRetry() {
    Manifests.applyYaml(admin, scope());
    Manifests.applyYaml(admin, identity("flux-scope"));
    awaitVerdict("AgentIdentity", "flux-agent", "Current");
    AgentIdentity identity =
        admin.resources(AgentIdentity.class).inNamespace(AGENTS).withName("flux-agent").get();
    IdentityStatusFactory factory = new IdentityStatusFactory(Clock.systemUTC());
    Exception refused = new IllegalStateException("the API server refused the bundle ConfigMap");

    AgentIdentityStatus retrying = factory.failed(identity, refused, true);
    identity.setStatus(retrying);
    assertThat(kstatus.of(identity).status()).isEqualTo("InProgress");
    GitOpsVerdict argoRetrying = argoCd.of(identity);
    assertThat(argoRetrying.status()).isEqualTo("Progressing");
    assertThat(argoRetrying.message()).contains("the API server refused the bundle ConfigMap");

    identity.setStatus(factory.failed(identity, refused, false));
    GitOpsVerdict stalled = kstatus.of(identity);
    assertThat(stalled.status()).isEqualTo("Failed");
    assertThat(stalled.message()).contains("the API server refused the bundle ConfigMap");
    assertThat(argoCd.of(identity).status()).isEqualTo("Degraded");
  }

  private static GitOpsVerdict awaitVerdict(String kind, String name, String status) {
    return Awaitility.await("kstatus " + status + " for " + kind + " " + name)
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> kstatus.of(get(kind, name)), verdict -> status.equals(verdict.status()));
  }

  private static GenericKubernetesResource get(String kind, String name) {
    return admin.genericKubernetesResources(API, kind).inNamespace(AGENTS).withName(name).get();
  }

  private static String scope() {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: flux-scope, namespace: %s}
        spec: {tools: [Read]}
        """
        .formatted(AGENTS);
  }

  private static String identity(String scope) {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: flux-agent, namespace: %s}
        spec: {serviceAccountName: flux-agent, toolScopes: [{name: %s}]}
        """
        .formatted(AGENTS, scope);
  }

  private static String policy() {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: flux-policy, namespace: %s}
        spec:
          agents: {names: [flux-agent]}
          rules: [{name: reads, tools: [Read], effect: Allow}]
        """
        .formatted(AGENTS);
  }
}
