package dev.tollgate.operator.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.api.v1alpha1.ToolPolicy;
import dev.tollgate.api.v1alpha1.ToolScope;
import dev.tollgate.operator.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class DefinitionStatusTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String MANIFESTS =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: coder, namespace: team-a, labels: {tier: dev}}
      spec: {serviceAccountName: coder, toolScopes: [{name: base}]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: reviewer, namespace: team-a, labels: {tier: review}}
      spec: {serviceAccountName: reviewer, toolScopes: [{name: base}, {name: extra}]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: base, namespace: team-a}
      spec: {tools: [Read, Bash]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: extra, namespace: team-a}
      spec: {tools: [WebFetch]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolPolicy
      metadata: {name: shell, namespace: team-a}
      spec:
        agents: {selector: {matchLabels: {tier: dev}}}
        rules: [{name: shell, tools: [Bash], effect: Allow}]
      """;

  KubernetesClient client;
  private OperatorHarness operator;

  @BeforeEach
  void start() {
    operator = new OperatorHarness(client, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  @Test
  void policiesAndScopesReportWhetherTheyCompileAndWhomTheyApplyTo() {
    OperatorHarness.apply(client, MANIFESTS);

    ToolPolicy policy = awaitPolicy(p -> List.of("coder").equals(p.getStatus().getIdentities()));
    assertThat(accepted(policy.getStatus().getConditions()).getStatus()).isEqualTo("True");
    assertThat(policy.getStatus().getObservedGeneration())
        .isEqualTo(policy.getMetadata().getGeneration());
    await().atMost(WAIT).until(() -> scopeIdentities("base").equals(List.of("coder", "reviewer")));
    await().atMost(WAIT).until(() -> scopeIdentities("extra").equals(List.of("reviewer")));

    OperatorHarness.apply(
        client, MANIFESTS.replace("labels: {tier: review}", "labels: {tier: dev}"));
    awaitPolicy(p -> List.of("coder", "reviewer").equals(p.getStatus().getIdentities()));

    OperatorHarness.apply(
        client, MANIFESTS.replace("effect: Allow}]", "effect: Allow, when: \"args.x +\"}]"));
    ToolPolicy broken =
        awaitPolicy(p -> "False".equals(accepted(p.getStatus().getConditions()).getStatus()));
    Condition condition = accepted(broken.getStatus().getConditions());
    assertThat(condition.getReason()).isEqualTo("Invalid");
    assertThat(condition.getMessage()).startsWith("spec.rules[0].when: invalid CEL");
  }

  @Test
  void anInvalidScopeIsNotAccepted() {
    OperatorHarness.apply(
        client,
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: broken, namespace: team-a}
        spec:
          mcpServers: [{name: git_hub, url: "https://x.example/mcp", tools: ["*"]}]
        """);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              ToolScope scope =
                  client.resources(ToolScope.class).inNamespace("team-a").withName("broken").get();
              return scope.getStatus() != null
                  && "False".equals(accepted(scope.getStatus().getConditions()).getStatus())
                  && accepted(scope.getStatus().getConditions())
                      .getMessage()
                      .contains("spec.mcpServers[0].name");
            });
  }

  private ToolPolicy awaitPolicy(Predicate<ToolPolicy> condition) {
    return await()
        .atMost(WAIT)
        .until(
            () -> client.resources(ToolPolicy.class).inNamespace("team-a").withName("shell").get(),
            p -> p != null && p.getStatus() != null && condition.test(p));
  }

  private List<String> scopeIdentities(String name) {
    ToolScope scope = client.resources(ToolScope.class).inNamespace("team-a").withName(name).get();
    return scope == null || scope.getStatus() == null || scope.getStatus().getIdentities() == null
        ? List.of()
        : scope.getStatus().getIdentities();
  }

  private static Condition accepted(List<Condition> conditions) {
    return conditions.stream()
        .filter(c -> "Accepted".equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }
}
