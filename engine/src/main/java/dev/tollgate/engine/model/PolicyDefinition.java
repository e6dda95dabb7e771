package dev.tollgate.engine.model;

import dev.tollgate.engine.source.ObjectRef;
import java.util.List;

/**
 * A ToolPolicy's spec.
 *
 * @param agentNames identities named explicitly (same namespace)
 * @param agentSelector a selector over identity labels, or null
 * @param agentsUnknown true when {@code spec.agents} could not be read: such a broken policy is
 *     taken to apply to every identity of its namespace, so that a broken Deny blocks publishing
 *     rather than silently vanishing from their bundles
 */
public record PolicyDefinition(
    ObjectRef ref,
    List<String> agentNames,
    LabelSelector agentSelector,
    boolean agentsUnknown,
    List<RuleDefinition> rules) {

  public PolicyDefinition {
    agentNames = List.copyOf(agentNames);
    rules = List.copyOf(rules);
  }

  public boolean appliesTo(IdentityDefinition identity) {
    if (!identity.ref().namespace().equals(ref.namespace())) {
      return false;
    }
    if (agentsUnknown || agentNames.contains(identity.ref().name())) {
      return true;
    }
    return agentSelector != null && agentSelector.matches(identity.labels());
  }
}
