package dev.tollgate.operator.definition;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.ToolPolicy;
import dev.tollgate.api.v1alpha1.ToolPolicyStatus;
import dev.tollgate.engine.model.PolicyDefinition;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.SourceObject;
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
import java.util.ArrayList;
import java.util.List;

/** A ToolPolicy's own status: whether it compiles, and which identities it selects. */
@ControllerConfiguration(name = ToolPolicyReconciler.NAME)
public class ToolPolicyReconciler implements Reconciler<ToolPolicy> {

  public static final String NAME = "toolpolicy";

  private final Clock clock;
  private final TransitionEvents events;
  private final StatusWriter statusWriter;
  private InformerEventSource<AgentIdentity, ToolPolicy> identities;

  public ToolPolicyReconciler(Clock clock, TransitionEvents events, StatusWriter statusWriter) {
    this.clock = clock;
    this.events = events;
    this.statusWriter = statusWriter;
  }

  @Override
  public List<EventSource<?, ToolPolicy>> prepareEventSources(
      EventSourceContext<ToolPolicy> context) {
    identities = IdentityEvents.source(context, ToolPolicy.class);
    return List.of(identities);
  }

  @Override
  public UpdateControl<ToolPolicy> reconcile(ToolPolicy policy, Context<ToolPolicy> context) {
    List<SourceObject> objects = new ArrayList<>();
    objects.add(SourceObjects.of(policy));
    identities
        .list(policy.getMetadata().getNamespace())
        .forEach(identity -> objects.add(SourceObjects.of(identity)));
    PolicySet set = PolicySet.of(objects);
    List<String> selected =
        set.policies().stream()
            .findFirst()
            .map(definition -> selectedNames(set, definition))
            .orElse(List.of());
    ToolPolicyStatus previous = policy.getStatus();
    long generation =
        policy.getMetadata().getGeneration() == null ? 0 : policy.getMetadata().getGeneration();
    DefinitionStatus next =
        DefinitionStatus.of(
            previous == null ? null : previous.getConditions(),
            generation,
            set.problemsOf(SourceObjects.refOf(policy)),
            selected,
            clock);
    ToolPolicyStatus status = statusOf(next);
    if (StatusComparison.unchanged(previous, status)) {
      return UpdateControl.noUpdate();
    }
    events.publish(
        policy, previous == null ? null : previous.getConditions(), status.getConditions());
    return statusWriter.write(policy, status, ToolPolicy::new, context);
  }

  /**
   * A reconcile that threw leaves Accepted Unknown with the error, not a status of an older spec.
   */
  @Override
  public ErrorStatusUpdateControl<ToolPolicy> updateErrorStatus(
      ToolPolicy policy, Context<ToolPolicy> context, Exception error) {
    ToolPolicyStatus previous = policy.getStatus();
    long generation =
        policy.getMetadata().getGeneration() == null ? 0 : policy.getMetadata().getGeneration();
    List<Condition> conditions = previous == null ? null : previous.getConditions();
    List<String> lastKnown = previous == null ? null : previous.getIdentities();
    ToolPolicyStatus status =
        statusOf(
            DefinitionStatus.failed(
                conditions, generation, lastKnown, error, RetryState.willRetry(context), clock));
    if (StatusComparison.unchanged(previous, status)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    events.publish(policy, conditions, status.getConditions());
    return statusWriter.writeAfterError(policy, status, ToolPolicy::new, context);
  }

  private static ToolPolicyStatus statusOf(DefinitionStatus next) {
    ToolPolicyStatus status = new ToolPolicyStatus();
    status.setObservedGeneration(next.observedGeneration());
    status.setConditions(next.conditions());
    status.setIdentities(next.identities());
    return status;
  }

  private static List<String> selectedNames(PolicySet set, PolicyDefinition definition) {
    return set.identitiesFor(definition).stream()
        .map(identity -> identity.ref().name())
        .sorted()
        .toList();
  }
}
