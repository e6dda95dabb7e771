package dev.tollgate.operator.identity;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Passes this reconcile's compilation from the reconciler to its dependents. */
final class IdentityContext {

  private IdentityContext() {}

  static void put(Context<AgentIdentity> context, IdentityCompilation compilation) {
    context
        .managedWorkflowAndDependentResourceContext()
        .put(IdentityCompilation.class, compilation);
  }

  static IdentityCompilation compilation(Context<AgentIdentity> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(IdentityCompilation.class, IdentityCompilation.class);
  }
}
