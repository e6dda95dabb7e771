package dev.tollgate.webhook;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.ToolScope;
import dev.tollgate.webhook.injection.ClusterState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Optional;

/**
 * AgentIdentities and ToolScopes from informer caches: admission must answer in milliseconds, so it
 * never calls the API server on the request path.
 */
public final class InformerClusterState implements ClusterState, AutoCloseable {

  private final SharedIndexInformer<AgentIdentity> identities;
  private final SharedIndexInformer<ToolScope> scopes;

  public InformerClusterState(KubernetesClient client) {
    identities = client.resources(AgentIdentity.class).inAnyNamespace().inform();
    scopes = client.resources(ToolScope.class).inAnyNamespace().inform();
  }

  public boolean synced() {
    return identities.hasSynced() && scopes.hasSynced();
  }

  @Override
  public List<AgentIdentity> identities(String namespace) {
    return identities.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
  }

  @Override
  public Optional<ToolScope> scope(String namespace, String name) {
    return Optional.ofNullable(scopes.getStore().getByKey(namespace + "/" + name));
  }

  @Override
  public void close() {
    identities.close();
    scopes.close();
  }
}
