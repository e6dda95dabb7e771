package dev.tollgate.webhook.injection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.AgentIdentitySpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentitySelectorTest {

  private static final Map<String, String> AGENT = Map.of("app", "coder", "tier", "dev");

  @Test
  void selectsByLabelsAndExpressions() {
    AgentIdentity identity =
        identity(
            new LabelSelectorBuilder()
                .addToMatchLabels("app", "coder")
                .addNewMatchExpression()
                .withKey("tier")
                .withOperator("In")
                .withValues("dev", "test")
                .endMatchExpression()
                .addNewMatchExpression()
                .withKey("legacy")
                .withOperator("DoesNotExist")
                .endMatchExpression()
                .build());
    assertThat(IdentitySelector.selects(identity, AGENT)).isTrue();
    assertThat(IdentitySelector.selects(identity, Map.of("app", "coder", "tier", "prod")))
        .isFalse();
    assertThat(
            IdentitySelector.selects(
                identity, Map.of("app", "coder", "tier", "dev", "legacy", "yes")))
        .isFalse();
  }

  @Test
  void anEmptySelectorSelectsEveryPod() {
    assertThat(IdentitySelector.selects(identity(new LabelSelectorBuilder().build()), AGENT))
        .isTrue();
  }

  @Test
  void noSelectorSelectsNothing() {
    assertThat(IdentitySelector.selects(identity(null), AGENT)).isFalse();
  }

  @Test
  void anUnknownOperatorSelectsNothingRatherThanBeingIgnored() {
    AgentIdentity identity =
        identity(
            new LabelSelectorBuilder()
                .addNewMatchExpression()
                .withKey("tier")
                .withOperator("Matches")
                .withValues("dev")
                .endMatchExpression()
                .build());
    assertThat(IdentitySelector.selects(identity, AGENT)).isFalse();
  }

  @Test
  void anExistsExpressionWithoutValuesReadsAsEmptyValues() {
    AgentIdentity identity =
        identity(
            new LabelSelectorBuilder()
                .addNewMatchExpression()
                .withKey("tier")
                .withOperator("Exists")
                .endMatchExpression()
                .build());
    assertThat(IdentitySelector.selects(identity, AGENT)).isTrue();
    assertThat(IdentitySelector.selects(identity, Map.of("app", "coder"))).isFalse();
  }

  private static AgentIdentity identity(LabelSelector selector) {
    AgentIdentitySpec spec = new AgentIdentitySpec();
    spec.setSelector(selector);
    AgentIdentity identity = new AgentIdentity();
    identity.setSpec(spec);
    return identity;
  }
}
