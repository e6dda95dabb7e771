package dev.tollgate.e2e;

import static dev.tollgate.e2e.TollgateCluster.AGENTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.v1alpha1.ApprovalDecision;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.api.v1alpha1.ToolCallApprovalSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a GitOps tool waits on (kstatus, as Flux reads it): after a spec change of each kind,
 * status.observedGeneration and Ready's observedGeneration reach the new generation with Ready
 * True, or Stalled True when only an edit can help; and the operator's server-side applied status
 * keeps what another writer put beside it.
 */
@ExtendWith(TollgateClusterExtension.class)
class GitOpsHealthIT {

  private static final String API = "tollgate.dev/v1alpha1";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static KubernetesClient admin;

  @BeforeAll
  static void namespace(TollgateCluster cluster) {
    admin = cluster.admin();
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(AGENTS).endMetadata().build())
        .fieldManager(Manifests.FIELD_MANAGER)
        .forceConflicts()
        .serverSideApply();
  }

  @Test
  void readyAndObservedGenerationFollowEverySpecChange() {
    Manifests.applyYaml(admin, scope("health-scope", "[Read]"));
    Manifests.applyYaml(admin, identity("health-agent", "health-scope", "Enforce"));
    Manifests.applyYaml(admin, policy("health-policy", "health-agent", "[Read]"));
    admin.resource(approval("health-approval", "health-agent")).create();

    awaitCurrent("ToolScope", "health-scope", "True", "Compiled");
    awaitCurrent("ToolPolicy", "health-policy", "True", "Compiled");
    awaitCurrent("AgentIdentity", "health-agent", "True", "BundlePublished");
    awaitCurrent("ToolCallApproval", "health-approval", "True", "Pending");

    long scopeGeneration =
        generation(Manifests.applyYaml(admin, scope("health-scope", "[Read, Grep]")));
    long policyGeneration =
        generation(Manifests.applyYaml(admin, policy("health-policy", "health-agent", "[Grep]")));
    long identityGeneration =
        generation(Manifests.applyYaml(admin, identity("health-agent", "health-scope", "Audit")));
    ToolCallApproval decided =
        admin
            .resources(ToolCallApproval.class)
            .inNamespace(AGENTS)
            .withName("health-approval")
            .edit(
                a -> {
                  a.getSpec().setDecision(ApprovalDecision.APPROVED);
                  return a;
                });

    assertThat(generationOf(awaitCurrent("ToolScope", "health-scope", "True", "Compiled")))
        .isEqualTo(scopeGeneration)
        .isGreaterThan(1L);
    assertThat(generationOf(awaitCurrent("ToolPolicy", "health-policy", "True", "Compiled")))
        .isEqualTo(policyGeneration)
        .isGreaterThan(1L);
    assertThat(
            generationOf(awaitCurrent("AgentIdentity", "health-agent", "True", "BundlePublished")))
        .isEqualTo(identityGeneration)
        .isGreaterThan(1L);
    assertThat(
            generationOf(awaitCurrent("ToolCallApproval", "health-approval", "True", "Approved")))
        .isEqualTo(decided.getMetadata().getGeneration())
        .isGreaterThan(1L);
    Map.of(
            "ToolScope", "health-scope",
            "ToolPolicy", "health-policy",
            "AgentIdentity", "health-agent",
            "ToolCallApproval", "health-approval")
        .forEach(
            (kind, name) -> {
              GenericKubernetesResource ready = get(kind, name);
              assertThat(condition(ready, "Stalled")).as(kind + ": no Stalled when Ready").isNull();
              assertThat(condition(ready, "Reconciling"))
                  .as(kind + ": no Reconciling when Ready")
                  .isNull();
            });

    // A scope that does not exist: only an edit helps, so kstatus must see Failed, not InProgress.
    Manifests.applyYaml(admin, identity("health-agent", "health-missing", "Audit"));
    GenericKubernetesResource stalled =
        awaitCurrent("AgentIdentity", "health-agent", "False", "ToolScopeNotFound");
    Map<String, Object> stalledCondition = condition(stalled, "Stalled");
    assertThat(stalledCondition)
        .containsEntry("status", "True")
        .containsEntry("reason", "ToolScopeNotFound");
    assertThat(number(stalledCondition.get("observedGeneration"))).isEqualTo(generationOf(stalled));

    Manifests.applyYaml(admin, identity("health-agent", "health-scope", "Audit"));
    GenericKubernetesResource healed =
        awaitCurrent("AgentIdentity", "health-agent", "True", "BundlePublished");
    assertThat(condition(healed, "Stalled")).as("gone once Ready").isNull();
  }

  /**
   * The race README's known gaps described: the operator's status write computed against a cached
   * copy that lagged another write. Here the operator rewrites the identity's status while its
   * policy list grows and shrinks, and a second writer keeps applying a condition of its own; every
   * write lands, and neither writer's fields are lost.
   */
  @Test
  void twoStatusWritersAtOnceLoseNothing() throws Exception {
    Manifests.applyYaml(admin, scope("race-scope", "[Read]"));
    Manifests.applyYaml(admin, identity("race-agent", "race-scope", "Enforce"));
    awaitCurrent("AgentIdentity", "race-agent", "True", "BundlePublished");

    int rounds = 40;
    CompletableFuture<Void> auditor =
        CompletableFuture.runAsync(
            () -> {
              for (int round = 0; round < rounds; round++) {
                applyAuditCondition("race-agent", "round " + round);
                sleep(Duration.ofMillis(20));
              }
            });
    for (int i = 0; i < 8; i++) {
      Manifests.applyYaml(admin, policy("race-p" + i, "race-agent", "[Read]"));
      sleep(Duration.ofMillis(50));
    }
    for (int i = 0; i < 6; i++) {
      admin
          .genericKubernetesResources(API, "ToolPolicy")
          .inNamespace(AGENTS)
          .withName("race-p" + i)
          .delete();
      sleep(Duration.ofMillis(50));
    }
    auditor.get(60, TimeUnit.SECONDS);
    // One more status write by the operator after the other writer's last: a write computed as a
    // diff against the operator's own idea of the status (the former JSON patch) removes the
    // condition it does not know; an apply leaves it to its owner.
    admin
        .genericKubernetesResources(API, "ToolPolicy")
        .inNamespace(AGENTS)
        .withName("race-p6")
        .delete();

    GenericKubernetesResource identity =
        Awaitility.await("race-agent's status lists exactly the remaining policy")
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> get("AgentIdentity", "race-agent"),
                i ->
                    List.of(AGENTS + "/race-p7").equals(status(i).get("policies"))
                        && isCurrent(i, "True", "BundlePublished"));
    assertThat(condition(identity, "audit.example.dev/Reviewed"))
        .as("the other writer's condition survives the operator's applies")
        .containsEntry("status", "True")
        .containsEntry("message", "round " + (rounds - 1));
    assertThat(condition(identity, "Accepted")).containsEntry("status", "True");
    assertThat(
            admin.events().v1().events().inNamespace(AGENTS).list().getItems().stream()
                .filter(e -> e.getRegarding() != null)
                .filter(e -> "race-agent".equals(e.getRegarding().getName()))
                .map(e -> e.getReason())
                .toList())
        .as("no status write of the operator failed")
        .doesNotContain("ReconcileFailed");
  }

  private static void applyAuditCondition(String identity, String message) {
    GenericKubernetesResource patch = new GenericKubernetesResource();
    patch.setApiVersion(API);
    patch.setKind("AgentIdentity");
    patch.setMetadata(new ObjectMetaBuilder().withName(identity).withNamespace(AGENTS).build());
    patch.setAdditionalProperty(
        "status",
        Map.of(
            "conditions",
            List.of(
                StatusConditionsIT.condition(
                    "audit.example.dev/Reviewed", "True", "Reviewed", message))));
    admin
        .genericKubernetesResources(API, "AgentIdentity")
        .inNamespace(AGENTS)
        .withName(identity)
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager("race-auditor")
                .withForce(true)
                .build(),
            patch);
  }

  /**
   * Waits until the object's status describes its current generation, at the top and in Ready, with
   * Ready's status and reason as given; returns the object.
   */
  private static GenericKubernetesResource awaitCurrent(
      String kind, String name, String ready, String reason) {
    return Awaitility.await(
            kind + " " + name + " Ready=" + ready + " (" + reason + ") for its generation")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> get(kind, name), object -> isCurrent(object, ready, reason));
  }

  private static boolean isCurrent(GenericKubernetesResource object, String ready, String reason) {
    if (object == null || status(object).isEmpty()) {
      return false;
    }
    Long generation = generationOf(object);
    Map<String, Object> condition = condition(object, "Ready");
    return condition != null
        && Objects.equals(number(status(object).get("observedGeneration")), generation)
        && Objects.equals(number(condition.get("observedGeneration")), generation)
        && ready.equals(condition.get("status"))
        && reason.equals(condition.get("reason"));
  }

  private static GenericKubernetesResource get(String kind, String name) {
    return admin.genericKubernetesResources(API, kind).inNamespace(AGENTS).withName(name).get();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource object) {
    Object status = object.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> condition(GenericKubernetesResource object, String type) {
    Object conditions = status(object).get("conditions");
    if (!(conditions instanceof List<?> list)) {
      return null;
    }
    return list.stream()
        .map(c -> (Map<String, Object>) c)
        .filter(c -> type.equals(c.get("type")))
        .findFirst()
        .orElse(null);
  }

  private static Long number(Object value) {
    return value instanceof Number n ? n.longValue() : null;
  }

  private static Long generationOf(GenericKubernetesResource object) {
    return object.getMetadata().getGeneration();
  }

  private static long generation(List<GenericKubernetesResource> applied) {
    return applied.get(0).getMetadata().getGeneration();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String scope(String name, String tools) {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: %s, namespace: %s}
        spec: {tools: %s}
        """
        .formatted(name, AGENTS, tools);
  }

  private static String identity(String name, String scope, String mode) {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: %s, namespace: %s}
        spec: {serviceAccountName: %s, mode: %s, toolScopes: [{name: %s}]}
        """
        .formatted(name, AGENTS, name, mode, scope);
  }

  private static String policy(String name, String identity, String tools) {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: %s, namespace: %s}
        spec:
          agents: {names: [%s]}
          rules: [{name: reads, tools: %s, effect: Allow}]
        """
        .formatted(name, AGENTS, identity, tools);
  }

  private static ToolCallApproval approval(String name, String identity) {
    ToolCallApproval approval = new ToolCallApproval();
    approval.getMetadata().setName(name);
    approval.getMetadata().setNamespace(AGENTS);
    ToolCallApprovalSpec spec = new ToolCallApprovalSpec();
    spec.setIdentity(identity);
    spec.setPod(identity + "-0");
    spec.setTool("Bash");
    spec.setArgsDigest("b".repeat(64));
    spec.setSummary("git push origin main");
    spec.setRequestedBy("health-check");
    // The admin client belongs to system:masters, so it may decide this one.
    spec.setApprovers(List.of("group:system:masters"));
    // Instant prints its seconds always (OffsetDateTime drops ":00", which is not a date-time).
    spec.setExpiresAt(
        Instant.now().plus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS).toString());
    approval.setSpec(spec);
    return approval;
  }
}
