package dev.tollgate.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Reads {@code status.conditions} of the objects the tests wait on. */
public final class Conditions {

  private Conditions() {}

  public static boolean isTrue(CustomResourceDefinition crd, String type) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals(type) && c.getStatus().equals("True"));
  }

  public static boolean present(CustomResourceDefinition crd, String type) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals(type));
  }

  /** The status of condition {@code type} of any object, or null when it has none. */
  @SuppressWarnings("unchecked")
  public static String status(GenericKubernetesResource object, String type) {
    if (object == null
        || !(object.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
        || !(status.get("conditions") instanceof List<?> conditions)) {
      return null;
    }
    return conditions.stream()
        .map(c -> (Map<String, Object>) c)
        .filter(c -> Objects.equals(c.get("type"), type))
        .map(c -> String.valueOf(c.get("status")))
        .findFirst()
        .orElse(null);
  }
}
