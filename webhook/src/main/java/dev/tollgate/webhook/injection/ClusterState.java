package dev.tollgate.webhook.injection;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.ToolScope;
import java.util.List;
import java.util.Optional;

/** What the webhook needs to know of the cluster (informer caches in production). */
public interface ClusterState {

  List<AgentIdentity> identities(String namespace);

  Optional<ToolScope> scope(String namespace, String name);
}
