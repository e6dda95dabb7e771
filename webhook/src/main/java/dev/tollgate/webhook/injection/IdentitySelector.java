package dev.tollgate.webhook.injection;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.engine.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which pods an AgentIdentity selects. Its {@code spec.selector} is read into the engine's {@link
 * LabelSelector}, the one implementation of label-selector semantics, so that the webhook injects
 * exactly the pods the engine's model says the identity selects.
 */
final class IdentitySelector {

  private IdentitySelector() {}

  /**
   * Whether the identity selects a pod with these labels; an identity without a selector selects
   * nothing.
   */
  static boolean selects(AgentIdentity identity, Map<String, String> labels) {
    return of(identity).map(selector -> selector.matches(labels)).orElse(false);
  }

  /**
   * The identity's selector, or empty when it selects nothing: it has none, or an expression uses
   * an operator Kubernetes does not define (failing closed rather than ignoring the expression).
   */
  static Optional<LabelSelector> of(AgentIdentity identity) {
    // Fabric8's LabelSelector, which shares its simple name with the engine's.
    var selector = identity.getSpec() == null ? null : identity.getSpec().getSelector();
    if (selector == null) {
      return Optional.empty();
    }
    List<LabelSelector.Requirement> requirements = new ArrayList<>();
    List<LabelSelectorRequirement> expressions =
        selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    for (LabelSelectorRequirement expression : expressions) {
      Optional<LabelSelector.Operator> operator =
          LabelSelector.Operator.fromWireName(expression.getOperator());
      if (operator.isEmpty()) {
        return Optional.empty();
      }
      requirements.add(
          new LabelSelector.Requirement(
              expression.getKey(),
              operator.get(),
              expression.getValues() == null ? List.of() : expression.getValues()));
    }
    Map<String, String> matchLabels =
        selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    return Optional.of(new LabelSelector(matchLabels, requirements));
  }
}
