package dev.tollgate.operator.identity;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.ToolPolicy;
import dev.tollgate.api.v1alpha1.ToolScope;
import dev.tollgate.api.v1alpha1.ToolScopeRef;
import dev.tollgate.engine.model.PolicyDefinition;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.SourceObject;
import dev.tollgate.operator.SourceObjects;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which identities a change to a ToolScope or ToolPolicy must re-reconcile: exactly those it
 * affects. For a policy that is the identities it selects now (by the engine's own selection rules)
 * and those whose status says it applied before, so an identity a changed selector no longer
 * selects is recompiled without it.
 */
final class AffectedIdentities {

  private final IndexerResourceCache<AgentIdentity> identities;

  AffectedIdentities(IndexerResourceCache<AgentIdentity> identities) {
    this.identities = identities;
  }

  Set<ResourceID> of(ToolScope scope) {
    String name = scope.getMetadata().getName();
    Set<ResourceID> affected = new HashSet<>();
    identities
        .list(scope.getMetadata().getNamespace())
        .forEach(
            identity -> {
              List<ToolScopeRef> refs =
                  identity.getSpec() == null ? null : identity.getSpec().getToolScopes();
              if (refs != null && refs.stream().anyMatch(ref -> name.equals(ref.getName()))) {
                affected.add(ResourceID.fromResource(identity));
              }
            });
    return affected;
  }

  Set<ResourceID> of(ToolPolicy policy) {
    String namespace = policy.getMetadata().getNamespace();
    String key = namespace + "/" + policy.getMetadata().getName();
    List<AgentIdentity> candidates = identities.list(namespace).toList();
    Set<ResourceID> affected = new HashSet<>();
    for (AgentIdentity identity : candidates) {
      List<String> applied =
          identity.getStatus() == null ? null : identity.getStatus().getPolicies();
      if (applied != null && applied.contains(key)) {
        affected.add(ResourceID.fromResource(identity));
      }
    }
    List<SourceObject> objects = new ArrayList<>();
    objects.add(SourceObjects.of(policy));
    candidates.forEach(identity -> objects.add(SourceObjects.of(identity)));
    PolicySet set = PolicySet.of(objects);
    for (PolicyDefinition definition : set.policies()) {
      set.identitiesFor(definition)
          .forEach(
              identity ->
                  affected.add(new ResourceID(identity.ref().name(), identity.ref().namespace())));
    }
    return affected;
  }
}
