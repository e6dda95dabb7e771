package dev.tollgate.operator.identity;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Publish when there is something good to publish: this reconcile's bundle, or the one already
 * published (kept as it is). A first compilation that fails publishes nothing.
 */
public class BundlePublishableCondition implements Condition<ConfigMap, AgentIdentity> {

  @Override
  public boolean isMet(
      DependentResource<ConfigMap, AgentIdentity> dependent,
      AgentIdentity identity,
      Context<AgentIdentity> context) {
    return IdentityContext.compilation(context).succeeded()
        || dependent.getSecondaryResource(identity, context).isPresent();
  }
}
