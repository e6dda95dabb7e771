package dev.tollgate.operator.identity;

import dev.tollgate.api.BundleConfigMaps;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.AgentIdentityStatus;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.api.v1alpha1.ToolPolicy;
import dev.tollgate.api.v1alpha1.ToolScope;
import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.source.SourceObject;
import dev.tollgate.operator.SourceObjects;
import dev.tollgate.operator.SpecChange;
import dev.tollgate.operator.status.RetryState;
import dev.tollgate.operator.status.StatusComparison;
import dev.tollgate.operator.status.StatusWriter;
import dev.tollgate.operator.status.TransitionEvents;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns an AgentIdentity, its ToolScopes and the ToolPolicies that select it into a published
 * bundle, the sidecar's RBAC, and status. The compilation happens once, here; the dependents
 * publish it and the status reports it.
 */
@ControllerConfiguration(name = AgentIdentityReconciler.NAME)
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(
          name = "bundle",
          type = BundleConfigMapDependentResource.class,
          reconcilePrecondition = BundlePublishableCondition.class),
      @Dependent(name = "sidecar-role", type = SidecarRoleDependentResource.class),
      @Dependent(
          name = "sidecar-rolebinding",
          type = SidecarRoleBindingDependentResource.class,
          dependsOn = "sidecar-role")
    })
public class AgentIdentityReconciler implements Reconciler<AgentIdentity> {

  public static final String NAME = "agentidentity";

  private final IdentityStatusFactory statusFactory;
  private final TransitionEvents events;
  private final BundleMetrics metrics;
  private final StatusWriter statusWriter;
  private InformerEventSource<ToolScope, AgentIdentity> scopes;
  private InformerEventSource<ToolPolicy, AgentIdentity> policies;
  private InformerEventSource<ToolCallApproval, AgentIdentity> approvals;

  public AgentIdentityReconciler(
      IdentityStatusFactory statusFactory,
      TransitionEvents events,
      BundleMetrics metrics,
      StatusWriter statusWriter) {
    this.statusFactory = statusFactory;
    this.events = events;
    this.metrics = metrics;
    this.statusWriter = statusWriter;
  }

  @Override
  public List<EventSource<?, AgentIdentity>> prepareEventSources(
      EventSourceContext<AgentIdentity> context) {
    AffectedIdentities affected = new AffectedIdentities(context.getPrimaryCache());
    // Bundles are compiled from specs alone: a scope's or policy's own status patch must not
    // recompile every identity it selects.
    scopes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ToolScope.class, AgentIdentity.class)
                .withName("toolscopes")
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(affected::of)
                .withOnUpdateFilter(SpecChange::of)
                .build(),
            context);
    policies =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ToolPolicy.class, AgentIdentity.class)
                .withName("toolpolicies")
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(affected::of)
                .withOnUpdateFilter(SpecChange::of)
                .build(),
            context);
    // Only for the count of pending approvals in the identity's status.
    approvals =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ToolCallApproval.class, AgentIdentity.class)
                .withName("toolcallapprovals")
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(
                    approval ->
                        approval.getSpec() == null || approval.getSpec().getIdentity() == null
                            ? Set.of()
                            : Set.of(
                                new ResourceID(
                                    approval.getSpec().getIdentity(),
                                    approval.getMetadata().getNamespace())))
                .withOnUpdateFilter(
                    (after, before) ->
                        PendingApprovals.isPending(after) != PendingApprovals.isPending(before))
                .build(),
            context);
    return List.of(scopes, policies, approvals);
  }

  @Override
  public UpdateControl<AgentIdentity> reconcile(
      AgentIdentity identity, Context<AgentIdentity> context) {
    String namespace = identity.getMetadata().getNamespace();
    List<SourceObject> objects = new ArrayList<>();
    objects.add(SourceObjects.of(identity));
    scopes.list(namespace).forEach(scope -> objects.add(SourceObjects.of(scope)));
    policies.list(namespace).forEach(policy -> objects.add(SourceObjects.of(policy)));
    IdentityCompilation compilation =
        IdentityCompilation.compile(SourceObjects.refOf(identity), objects);
    compilation.bundleJson().ifPresent(json -> metrics.bundleCompiled(json.length()));

    IdentityContext.put(context, compilation);
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();

    // What is published is what the ConfigMap holds, whatever the (possibly stale) status says.
    Optional<String> published =
        compilation.succeeded()
            ? compilation.bundle().map(Bundle::revision)
            : context
                .getSecondaryResource(ConfigMap.class)
                .map(cm -> cm.getMetadata().getAnnotations())
                .map(annotations -> annotations.get(BundleConfigMaps.REVISION_ANNOTATION));
    AgentIdentityStatus previous = identity.getStatus();
    AgentIdentityStatus status =
        statusFactory.build(
            identity,
            compilation,
            published,
            PendingApprovals.count(approvals.list(namespace), identity.getMetadata().getName()));
    if (StatusComparison.unchanged(previous, status)) {
      return UpdateControl.noUpdate();
    }
    events.publish(
        identity, previous == null ? null : previous.getConditions(), status.getConditions());
    return statusWriter.write(identity, status, AgentIdentity::new, context);
  }

  /**
   * A reconcile that threw (a dependent the API server refused, a bug) must not leave a status that
   * says the current spec is ready. Patching the status this way keeps JOSDK's retries.
   */
  @Override
  public ErrorStatusUpdateControl<AgentIdentity> updateErrorStatus(
      AgentIdentity identity, Context<AgentIdentity> context, Exception error) {
    AgentIdentityStatus previous = identity.getStatus();
    AgentIdentityStatus status =
        statusFactory.failed(identity, error, RetryState.willRetry(context));
    if (StatusComparison.unchanged(previous, status)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    events.publish(
        identity, previous == null ? null : previous.getConditions(), status.getConditions());
    return statusWriter.writeAfterError(identity, status, AgentIdentity::new, context);
  }
}
