package dev.tollgate.operator.definition;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.ToolScope;
import dev.tollgate.api.v1alpha1.ToolScopeStatus;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.operator.SourceObjects;
import dev.tollgate.operator.status.RetryState;
import dev.tollgate.operator.status.StatusComparison;
import dev.tollgate.operator.status.StatusWriter;
import dev.tollgate.operator.status.TransitionEvents;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;

/** A ToolScope's own status: whether it is valid, and which identities name it. */
@ControllerConfiguration(name = ToolScopeReconciler.NAME)
public class ToolScopeReconciler implements Reconciler<ToolScope> {

  public static final String NAME = "toolscope";

  private final Clock clock;
  private final TransitionEvents events;
  private final StatusWriter statusWriter;
  private InformerEventSource<AgentIdentity, ToolScope> identities;

  public ToolScopeReconciler(Clock clock, TransitionEvents events, StatusWriter statusWriter) {
    this.clock = clock;
    this.events = events;
    this.statusWriter = statusWriter;
  }

  @Override
  public List<EventSource<?, ToolScope>> prepareEventSources(
      EventSourceContext<ToolScope> context) {
    identities = IdentityEvents.source(context, ToolScope.class);
    return List.of(identities);
  }

  @Override
  public UpdateControl<ToolScope> reconcile(ToolScope scope, Context<ToolScope> context) {
    String name = scope.getMetadata().getName();
    List<String> naming =
        identities
            .list(scope.getMetadata().getNamespace())
            .filter(
                identity ->
                    identity.getSpec() != null
                        && identity.getSpec().getToolScopes() != null
                        && identity.getSpec().getToolScopes().stream()
                            .anyMatch(ref -> name.equals(ref.getName())))
            .map(identity -> identity.getMetadata().getName())
            .sorted()
            .toList();
    ToolScopeStatus previous = scope.getStatus();
    long generation =
        scope.getMetadata().getGeneration() == null ? 0 : scope.getMetadata().getGeneration();
    DefinitionStatus next =
        DefinitionStatus.of(
            previous == null ? null : previous.getConditions(),
            generation,
            PolicySet.of(List.of(SourceObjects.of(scope))).problemsOf(SourceObjects.refOf(scope)),
            naming,
            clock);
    ToolScopeStatus status = statusOf(next);
    if (StatusComparison.unchanged(previous, status)) {
      return UpdateControl.noUpdate();
    }
    events.publish(
        scope, previous == null ? null : previous.getConditions(), status.getConditions());
    return statusWriter.write(scope, status, ToolScope::new, context);
  }

  /**
   * A reconcile that threw leaves Accepted Unknown with the error, not a status of an older spec.
   */
  @Override
  public ErrorStatusUpdateControl<ToolScope> updateErrorStatus(
      ToolScope scope, Context<ToolScope> context, Exception error) {
    ToolScopeStatus previous = scope.getStatus();
    long generation =
        scope.getMetadata().getGeneration() == null ? 0 : scope.getMetadata().getGeneration();
    List<Condition> conditions = previous == null ? null : previous.getConditions();
    List<String> lastKnown = previous == null ? null : previous.getIdentities();
    ToolScopeStatus status =
        statusOf(
            DefinitionStatus.failed(
                conditions, generation, lastKnown, error, RetryState.willRetry(context), clock));
    if (StatusComparison.unchanged(previous, status)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    events.publish(scope, conditions, status.getConditions());
    return statusWriter.writeAfterError(scope, status, ToolScope::new, context);
  }

  private static ToolScopeStatus statusOf(DefinitionStatus next) {
    ToolScopeStatus status = new ToolScopeStatus();
    status.setObservedGeneration(next.observedGeneration());
    status.setConditions(next.conditions());
    status.setIdentities(next.identities());
    return status;
  }
}
