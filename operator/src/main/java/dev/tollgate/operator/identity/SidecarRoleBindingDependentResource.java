package dev.tollgate.operator.identity;

import dev.tollgate.api.BundleConfigMaps;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Binds the sidecar Role to the identity's service account (the one its pods must run under). */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector =
                BundleConfigMaps.MANAGED_BY_LABEL
                    + "="
                    + BundleConfigMaps.MANAGED_BY
                    + ","
                    + BundleConfigMaps.COMPONENT_LABEL
                    + "=sidecar-rbac"))
public class SidecarRoleBindingDependentResource
    extends CRUDKubernetesDependentResource<RoleBinding, AgentIdentity> {

  public SidecarRoleBindingDependentResource() {
    super(RoleBinding.class);
  }

  @Override
  protected RoleBinding desired(AgentIdentity identity, Context<AgentIdentity> context) {
    String name = SidecarRoleDependentResource.nameFor(identity);
    return new RoleBindingBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(identity.getMetadata().getNamespace())
        .withLabels(SidecarRoleDependentResource.labels(identity))
        .endMetadata()
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("Role")
        .withName(name)
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(identity.getSpec().getServiceAccountName())
        .withNamespace(identity.getMetadata().getNamespace())
        .endSubject()
        .build();
  }
}
