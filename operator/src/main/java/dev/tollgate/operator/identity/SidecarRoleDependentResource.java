package dev.tollgate.operator.identity;

import dev.tollgate.api.BundleConfigMaps;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.TollgateApi;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * What the identity's sidecar may do with the API, and nothing more: create and follow
 * ToolCallApprovals, publish Events, and follow its own bundle ConfigMap (so a policy change
 * arrives in seconds rather than with the kubelet's volume sync). Deciding an approval is not in it
 * (the webhook's guard also refuses the identity's service account), nor any other ConfigMap.
 */
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
public class SidecarRoleDependentResource
    extends CRUDKubernetesDependentResource<Role, AgentIdentity> {

  public SidecarRoleDependentResource() {
    super(Role.class);
  }

  /** {@code tollgate-sidecar-<identity>}, for the Role and its RoleBinding. */
  static String nameFor(AgentIdentity identity) {
    return "tollgate-sidecar-" + identity.getMetadata().getName();
  }

  static Map<String, String> labels(AgentIdentity identity) {
    return Map.of(
        BundleConfigMaps.MANAGED_BY_LABEL,
        BundleConfigMaps.MANAGED_BY,
        BundleConfigMaps.COMPONENT_LABEL,
        "sidecar-rbac",
        BundleConfigMaps.IDENTITY_LABEL,
        identity.getMetadata().getName());
  }

  @Override
  protected Role desired(AgentIdentity identity, Context<AgentIdentity> context) {
    return new RoleBuilder()
        .withNewMetadata()
        .withName(nameFor(identity))
        .withNamespace(identity.getMetadata().getNamespace())
        .withLabels(labels(identity))
        .endMetadata()
        .withRules(
            new PolicyRuleBuilder()
                .withApiGroups(TollgateApi.GROUP)
                .withResources("toolcallapprovals")
                // update: to mark an approval used (an annotation the webhook keeps from being
                // removed)
                .withVerbs("create", "get", "list", "watch", "update")
                .build(),
            new PolicyRuleBuilder()
                .withApiGroups("events.k8s.io")
                .withResources("events")
                .withVerbs("create")
                .build(),
            // list and watch with resourceNames are allowed for a field selector on that name,
            // which is what the sidecar's informer asks for.
            new PolicyRuleBuilder()
                .withApiGroups("")
                .withResources("configmaps")
                .withResourceNames(BundleConfigMaps.nameFor(identity.getMetadata().getName()))
                .withVerbs("get", "list", "watch")
                .build())
        .build();
  }
}
