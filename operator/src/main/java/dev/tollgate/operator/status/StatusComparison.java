package dev.tollgate.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Whether a computed status would change anything the operator writes. Conditions are a list-map
 * keyed by type, and the operator's server-side apply owns only its own types: a condition another
 * writer added (a policy engine, an auditor) stays whatever the operator applies. Comparing the
 * whole previous status with the computed one would therefore find a difference on every reconcile
 * and send an apply that changes nothing; this comparison leaves such conditions out.
 */
public final class StatusComparison {

  /** The types the operator writes only some of the time, and so may have to remove. */
  private static final Set<String> SOMETIMES_WRITTEN =
      Set.of(Conditions.RECONCILING, Conditions.STALLED);

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private StatusComparison() {}

  /**
   * True when {@code computed} equals {@code previous} but for conditions whose types the operator
   * does not write: neither in {@code computed} nor one it sometimes leaves out. The order of
   * conditions does not count (the API server merges them by type).
   */
  public static boolean unchanged(Object previous, Object computed) {
    if (previous == null || computed == null) {
      return previous == computed;
    }
    ObjectNode before = JSON.convertValue(previous, ObjectNode.class);
    ObjectNode after = JSON.convertValue(computed, ObjectNode.class);
    Map<String, JsonNode> beforeConditions = byType(before.remove("conditions"));
    Map<String, JsonNode> afterConditions = byType(after.remove("conditions"));
    beforeConditions
        .keySet()
        .removeIf(type -> !afterConditions.containsKey(type) && !SOMETIMES_WRITTEN.contains(type));
    return before.equals(after) && beforeConditions.equals(afterConditions);
  }

  private static Map<String, JsonNode> byType(JsonNode conditions) {
    Map<String, JsonNode> byType = new HashMap<>();
    if (conditions != null) {
      conditions.forEach(condition -> byType.put(condition.path("type").asText(), condition));
    }
    return byType;
  }
}
