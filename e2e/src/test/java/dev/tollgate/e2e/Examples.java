package dev.tollgate.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;

/** examples/ on the cluster, the way a GitOps pipeline would apply the folder. */
public final class Examples {

  private Examples() {}

  /** Applies every Kubernetes object of examples/ (policy test files excluded); idempotent. */
  public static void apply(TollgateCluster cluster) {
    Path examples = cluster.repoRoot().resolve("examples");
    List<GenericKubernetesResource> objects =
        Manifests.yamlFiles(examples).stream()
            .filter(file -> !file.startsWith(examples.resolve("tests")))
            .flatMap(file -> Manifests.read(file).stream())
            .toList();
    objects.forEach(object -> ensureNamespace(cluster.admin(), object));
    Manifests.apply(cluster.admin(), objects);
  }

  /**
   * Creates the object's namespace when missing, as {@code kubectl apply -f folder} needs the
   * Namespace first too.
   */
  static void ensureNamespace(KubernetesClient client, GenericKubernetesResource object) {
    String namespace = object.getMetadata().getNamespace();
    if (namespace != null && client.namespaces().withName(namespace).get() == null) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .fieldManager(Manifests.FIELD_MANAGER)
          .forceConflicts()
          .serverSideApply();
    }
  }
}
