package dev.tollgate.operator.identity;

import dev.tollgate.api.BundleConfigMaps;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * The identity's bundle as ConfigMap {@code tollgate-bundle-<identity>}, owned by the identity.
 * When this reconcile's compilation failed, the desired state is the ConfigMap as it is: the last
 * good bundle stays published, never a partial one ({@link BundlePublishableCondition} keeps a
 * first, failed compilation from creating anything).
 */
@KubernetesDependent(
    informer =
        @io.javaoperatorsdk.operator.api.config.informer.Informer(
            labelSelector =
                BundleConfigMaps.MANAGED_BY_LABEL
                    + "="
                    + BundleConfigMaps.MANAGED_BY
                    + ","
                    + BundleConfigMaps.COMPONENT_LABEL
                    + "=bundle"))
public class BundleConfigMapDependentResource
    extends CRUDKubernetesDependentResource<ConfigMap, AgentIdentity> {

  public BundleConfigMapDependentResource() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(AgentIdentity identity, Context<AgentIdentity> context) {
    IdentityCompilation compilation = IdentityContext.compilation(context);
    if (!compilation.succeeded()) {
      return context
          .getSecondaryResource(ConfigMap.class)
          .orElseThrow(
              () -> new IllegalStateException("no bundle to keep for " + compilation.identity()));
    }
    return bundleConfigMap(
        identity,
        compilation.bundle().orElseThrow().revision(),
        compilation.bundleJson().orElseThrow());
  }

  /** The ConfigMap for a bundle (also what the golden tests compare against). */
  public static ConfigMap bundleConfigMap(
      AgentIdentity identity, String revision, String bundleJson) {
    String name = identity.getMetadata().getName();
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(BundleConfigMaps.nameFor(name))
        .withNamespace(identity.getMetadata().getNamespace())
        .withLabels(
            Map.of(
                BundleConfigMaps.MANAGED_BY_LABEL,
                BundleConfigMaps.MANAGED_BY,
                BundleConfigMaps.COMPONENT_LABEL,
                "bundle",
                BundleConfigMaps.IDENTITY_LABEL,
                name))
        .withAnnotations(Map.of(BundleConfigMaps.REVISION_ANNOTATION, revision))
        .endMetadata()
        .withData(Map.of(BundleConfigMaps.DATA_KEY, bundleJson))
        .build();
  }
}
