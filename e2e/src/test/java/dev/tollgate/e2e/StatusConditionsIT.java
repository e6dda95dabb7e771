package dev.tollgate.e2e;

import static dev.tollgate.e2e.TollgateCluster.AGENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CRDs' conditions as the real API server enforces them, whoever writes them:
 * metav1.Condition's validation, and a list-map keyed by type. Objects live in a namespace the
 * operator does not watch, so that only the test writes their status.
 */
@ExtendWith(TollgateClusterExtension.class)
class StatusConditionsIT {

  private static final String CHECKS = "condition-checks";
  private static final String SINCE = "2026-12-03T00:00:00Z";

  private static KubernetesClient admin;

  @BeforeAll
  static void createScope(TollgateCluster cluster) {
    admin = cluster.admin();
    for (String namespace : List.of(CHECKS, AGENTS)) {
      admin
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .fieldManager(Manifests.FIELD_MANAGER)
          .forceConflicts()
          .serverSideApply();
    }
    Manifests.applyYaml(
        admin,
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: conditions, namespace: %s}
        spec: {tools: [Read]}
        """
            .formatted(CHECKS));
  }

  @Test
  void aConditionThatMetav1WouldRefuseIsRefused() {
    mergeStatus(condition("Ready", "True", "BundlePublished", "fine"));
    assertThat(Conditions.status(scope(), "Ready"))
        .as("a valid condition is stored")
        .isEqualTo("True");

    assertRefused(
        condition("Ready", "True", "bad reason!", "x"),
        "status.conditions[0].reason",
        "should match");
    assertRefused(
        condition("Ready", "True", "", "x"), "status.conditions[0].reason", "at least 1 chars");
    assertRefused(
        condition("Ready", "Maybe", "Fine", "x"),
        "status.conditions[0].status",
        "Unsupported value");
    assertRefused(
        condition("Ready!", "True", "Fine", "x"), "status.conditions[0].type", "should match");
    assertRefused(
        condition("Ready", "True", "Fine", "x".repeat(32_769)),
        "status.conditions[0].message",
        "Too long: may not be more than 32768 bytes");
    Map<String, Object> noMessage = condition("Ready", "True", "Fine", "x");
    noMessage.remove("message");
    assertRefused(noMessage, "status.conditions[0].message", "Required value");
    Map<String, Object> noTime = condition("Ready", "True", "Fine", "x");
    noTime.remove("lastTransitionTime");
    assertRefused(noTime, "status.conditions[0].lastTransitionTime", "Required value");

    assertThat(Conditions.status(scope(), "Ready"))
        .as("nothing refused was stored")
        .isEqualTo("True");
  }

  @Test
  void conditionsAreAMapByTypeOneEntryPerTypeMergedByApply() {
    assertThatThrownBy(
            () ->
                mergeStatus(
                    condition("Ready", "True", "One", "first"),
                    condition("Ready", "False", "Two", "second")))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("status.conditions[1]")
        .hasMessageContaining("Duplicate value");

    // Two writers, each applying only its own condition: the list merges by type, so neither
    // removes the other's, and a writer's next apply replaces only its own entry.
    applyStatus("first-writer", condition("Ready", "True", "Compiled", "first writer"));
    applyStatus("second-writer", condition("example.dev/Audited", "True", "Reviewed", "second"));
    applyStatus("first-writer", condition("Ready", "False", "Invalid", "first writer again"));

    GenericKubernetesResource stored = scope();
    assertThat(conditionTypes(stored)).containsExactlyInAnyOrder("Ready", "example.dev/Audited");
    assertThat(Conditions.status(stored, "Ready")).isEqualTo("False");
    assertThat(Conditions.status(stored, "example.dev/Audited")).isEqualTo("True");
  }

  private static void assertRefused(Map<String, Object> condition, String field, String message) {
    assertThatThrownBy(() -> mergeStatus(condition))
        .as(field + " " + message)
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining(field)
        .hasMessageContaining(message);
  }

  @SafeVarargs
  private static void mergeStatus(Map<String, Object>... conditions) {
    scopeResource()
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            Serialization.asJson(Map.of("status", Map.of("conditions", List.of(conditions)))));
  }

  private static void applyStatus(String manager, Map<String, Object> condition) {
    GenericKubernetesResource patch = new GenericKubernetesResource();
    patch.setApiVersion("tollgate.dev/v1alpha1");
    patch.setKind("ToolScope");
    patch.setMetadata(new ObjectMetaBuilder().withName("conditions").withNamespace(CHECKS).build());
    patch.setAdditionalProperty("status", Map.of("conditions", List.of(condition)));
    scopeResource()
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(manager)
                .withForce(true)
                .build(),
            patch);
  }

  static Map<String, Object> condition(String type, String status, String reason, String message) {
    Map<String, Object> condition = new LinkedHashMap<>();
    condition.put("type", type);
    condition.put("status", status);
    condition.put("reason", reason);
    condition.put("message", message);
    condition.put("lastTransitionTime", SINCE);
    return condition;
  }

  @SuppressWarnings("unchecked")
  static List<String> conditionTypes(GenericKubernetesResource object) {
    Map<String, Object> status =
        (Map<String, Object>) object.getAdditionalProperties().get("status");
    return ((List<Map<String, Object>>) status.get("conditions"))
        .stream().map(c -> (String) c.get("type")).toList();
  }

  private static Resource<GenericKubernetesResource> scopeResource() {
    return admin
        .genericKubernetesResources("tollgate.dev/v1alpha1", "ToolScope")
        .inNamespace(CHECKS)
        .withName("conditions");
  }

  private static GenericKubernetesResource scope() {
    return scopeResource().get();
  }
}
