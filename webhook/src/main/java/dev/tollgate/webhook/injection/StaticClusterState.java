package dev.tollgate.webhook.injection;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.ToolScope;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Optional;

/**
 * A cluster state read from YAML: what the informers would hold, for tests and the start-up
 * warm-up.
 */
public final class StaticClusterState implements ClusterState {

  private final List<HasMetadata> objects;

  @SuppressWarnings("unchecked")
  public StaticClusterState(String yaml) {
    Object loaded = Serialization.unmarshal(yaml);
    this.objects =
        loaded instanceof List<?> list ? (List<HasMetadata>) list : List.of((HasMetadata) loaded);
  }

  @Override
  public List<AgentIdentity> identities(String namespace) {
    return objects.stream()
        .filter(AgentIdentity.class::isInstance)
        .map(AgentIdentity.class::cast)
        .filter(i -> namespace.equals(i.getMetadata().getNamespace()))
        .toList();
  }

  @Override
  public Optional<ToolScope> scope(String namespace, String name) {
    return objects.stream()
        .filter(ToolScope.class::isInstance)
        .map(ToolScope.class::cast)
        .filter(
            s ->
                namespace.equals(s.getMetadata().getNamespace())
                    && name.equals(s.getMetadata().getName()))
        .findFirst();
  }
}
