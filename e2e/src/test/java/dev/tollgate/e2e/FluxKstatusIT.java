package dev.tollgate.e2e;

import static dev.tollgate.e2e.TollgateCluster.AGENTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.AgentIdentityStatus;
import dev.tollgate.operator.identity.IdentityStatusFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Flux's verdict on Tollgate's objects, computed by the kstatus library itself (Flux's
 * Kustomization health checks and {@code wait: true} use it): Current once the operator has
 * reconciled the current generation, InProgress before that and while it retries, Failed when only
 * an edit can help. Argo CD has no such generic reading of custom resources (see README).
 */
@ExtendWith(TollgateClusterExtension.class)
class FluxKstatusIT {

  private static final String API = "tollgate.dev/v1alpha1";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static TollgateCluster cluster;
  private static KubernetesClient admin;
  private static Kstatus kstatus;

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
  }

  @Test
  void fluxSeesCurrentInProgressAndFailedAsTheOperatorReportsThem() {
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
    }

    Manifests.applyYaml(admin, identity("flux-missing"));
    Kstatus.Verdict failed = awaitVerdict("AgentIdentity", "flux-agent", "Failed");
    assertThat(failed.message()).contains("ToolScope agents/flux-missing does not exist");

    // With no operator to observe it, a new generation is not yet reconciled.
    cluster.withoutOperator(
        () -> {
          Manifests.applyYaml(admin, identity("flux-scope"));
          Kstatus.Verdict pending = kstatus.of(get("AgentIdentity", "flux-agent"));
          assertThat(pending.status()).isEqualTo("InProgress");
          assertThat(pending.message()).contains("latest observed generation");
        });
    awaitVerdict("AgentIdentity", "flux-agent", "Current");
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

    identity.setStatus(factory.failed(identity, refused, false));
    Kstatus.Verdict stalled = kstatus.of(identity);
    assertThat(stalled.status()).isEqualTo("Failed");
    assertThat(stalled.message()).contains("the API server refused the bundle ConfigMap");
  }

  private static Kstatus.Verdict awaitVerdict(String kind, String name, String status) {
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
