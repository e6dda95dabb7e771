package dev.tollgate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RoundTripTest {

  static List<Arguments> samples() {
    return List.of(
        Arguments.of("agentidentity.yaml", AgentIdentity.class),
        Arguments.of("toolscope.yaml", ToolScope.class),
        Arguments.of("toolpolicy.yaml", ToolPolicy.class),
        Arguments.of("toolcallapproval.yaml", ToolCallApproval.class));
  }

  @ParameterizedTest
  @MethodSource("samples")
  void yamlRoundTripKeepsEveryFieldAndInventsNone(
      String sample, Class<? extends HasMetadata> type) {
    HasMetadata resource = Serialization.unmarshal(Samples.text(sample), type);

    assertThat(Samples.parse(Serialization.asYaml(resource))).isEqualTo(Samples.tree(sample));
    assertThat(Samples.parse(Serialization.asJson(resource))).isEqualTo(Samples.tree(sample));
  }

  @ParameterizedTest
  @MethodSource("samples")
  void equalsAndHashCodeFollowTheContent(String sample, Class<? extends HasMetadata> type) {
    HasMetadata first = Serialization.unmarshal(Samples.text(sample), type);
    HasMetadata second = Serialization.unmarshal(Samples.text(sample), type);

    assertThat(first).isEqualTo(second).hasSameHashCodeAs(second);
  }

  @Test
  void agentIdentityFieldsAreTyped() {
    AgentIdentity identity =
        Serialization.unmarshal(Samples.text("agentidentity.yaml"), AgentIdentity.class);

    assertThat(identity.getApiVersion()).isEqualTo(TollgateApi.API_VERSION);
    assertThat(identity.getKind()).isEqualTo("AgentIdentity");
    AgentIdentitySpec spec = identity.getSpec();
    assertThat(spec.getSelector().getMatchLabels()).containsEntry("app", "code-reviewer");
    assertThat(spec.getSelector().getMatchExpressions().get(0).getValues())
        .containsExactly("agent", "batch");
    assertThat(spec.getServiceAccountName()).isEqualTo("code-reviewer");
    assertThat(spec.getAttributes())
        .containsExactlyInAnyOrderEntriesOf(Map.of("team", "platform", "environment", "staging"));
    assertThat(spec.getToolScopes())
        .containsExactly(new ToolScopeRef("read-only"), new ToolScopeRef("github"));
    assertThat(spec.getDelegation().getAllowedPrincipals())
        .containsExactly("user:alice@example.com", "group:platform-admins");
    assertThat(spec.getDelegation().requiredOrDefault()).isTrue();
    assertThat(spec.getMode()).isEqualTo(AgentMode.AUDIT);
    assertThat(spec.getApproval().timeoutSecondsOrDefault()).isEqualTo(600);
    assertThat(spec.getApproval().getDefaultApprovers()).containsExactly("group:platform-admins");
    assertThat(spec.getRuntime()).isEqualTo(AgentRuntime.GENERIC);

    AgentIdentityStatus status = identity.getStatus();
    assertThat(status.getObservedGeneration()).isEqualTo(3L);
    assertThat(status.getConditions())
        .extracting(Condition::getType)
        .containsExactly("Accepted", "Ready");
    assertThat(status.getConditions().get(0).getLastTransitionTime())
        .isEqualTo("2026-01-02T03:04:05Z");
    assertThat(status.getBundle())
        .isEqualTo(new BundleRef("tollgate-bundle-code-reviewer", "sha256-4f2a9c"));
    assertThat(status.getPolicies()).containsExactly("agents/baseline", "agents/github-writes");
    assertThat(status.getPendingApprovals()).isEqualTo(2);
  }

  @Test
  void unsetOptionalFieldsStayUnsetAndDefaultsAreAvailableInJava() {
    String minimal =
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata:
          name: minimal
        spec:
          serviceAccountName: agent
          approval: {}
        """;
    AgentIdentity identity = Serialization.unmarshal(minimal, AgentIdentity.class);

    assertThat(Samples.parse(Serialization.asYaml(identity))).isEqualTo(Samples.parse(minimal));
    assertThat(identity.getSpec().getMode()).isNull();
    assertThat(identity.getSpec().modeOrDefault()).isEqualTo(AgentMode.ENFORCE);
    assertThat(identity.getSpec().runtimeOrDefault()).isEqualTo(AgentRuntime.CLAUDE_CODE);
    assertThat(identity.getSpec().getApproval().timeoutSecondsOrDefault()).isEqualTo(300);
    assertThat(new Delegation().requiredOrDefault()).isFalse();
  }

  @Test
  void toolCallApprovalKeepsTimestampsVerbatim() {
    ToolCallApproval approval =
        Serialization.unmarshal(Samples.text("toolcallapproval.yaml"), ToolCallApproval.class);

    assertThat(approval.getSpec().getExpiresAt()).isEqualTo("2026-01-02T03:09:05Z");
    assertThat(approval.getSpec().getDecision()).isEqualTo(ApprovalDecision.APPROVED);
    assertThat(approval.getStatus().getPhase()).isEqualTo(ApprovalPhase.APPROVED);
    assertThat(Serialization.asJson(approval))
        .contains("\"expiresAt\":\"2026-01-02T03:09:05Z\"")
        .contains("\"decidedAt\":\"2026-01-02T03:05:00Z\"");
  }
}
