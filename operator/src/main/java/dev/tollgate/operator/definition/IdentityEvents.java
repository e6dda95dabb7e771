package dev.tollgate.operator.definition;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.operator.SpecChange;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.stream.Collectors;

/**
 * The AgentIdentities a ToolScope's or ToolPolicy's status depends on. An identity's spec and
 * labels decide which scopes it names and which policies select it, so a change to either
 * recomputes every scope or policy of its namespace; its status does not matter.
 */
final class IdentityEvents {

  private IdentityEvents() {}

  static <P extends HasMetadata> InformerEventSource<AgentIdentity, P> source(
      EventSourceContext<P> context, Class<P> primary) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(AgentIdentity.class, primary)
            .withName("agentidentities")
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(
                identity ->
                    context
                        .getPrimaryCache()
                        .list(identity.getMetadata().getNamespace())
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withOnUpdateFilter(SpecChange::ofSpecOrLabels)
            .build(),
        context);
  }
}
