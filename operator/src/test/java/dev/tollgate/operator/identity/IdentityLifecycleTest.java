package dev.tollgate.operator.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.ApprovalDecision;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.operator.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Apply, change, break and fix identities, scopes and policies; watch bundles, status and Events.
 */
@EnableKubernetesMockClient(crud = true)
class IdentityLifecycleTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  KubernetesClient client;
  private OperatorHarness operator;

  @BeforeEach
  void start() {
    operator =
        new OperatorHarness(
            client, Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  @Test
  void aBrokenPolicyKeepsTheLastGoodBundleAndSaysWhyUntilFixed() {
    OperatorHarness.apply(client, AgentIdentityReconcilerTest.MANIFESTS);
    String good =
        OperatorHarness.cliBundle(AgentIdentityReconcilerTest.MANIFESTS, "team-a", "coder");
    ConfigMap published = awaitBundle(good);
    String revision = published.getMetadata().getAnnotations().get("tollgate.dev/bundle-revision");
    String resourceVersion = published.getMetadata().getResourceVersion();

    String broken =
        AgentIdentityReconcilerTest.MANIFESTS.replace(
            "resource.program == 'rm'", "resource.program ==");
    OperatorHarness.apply(client, broken);

    AgentIdentity identity =
        awaitIdentity(
            i -> condition(i, "Ready").map(c -> "False".equals(c.getStatus())).orElse(false));
    Condition ready = condition(identity, "Ready").orElseThrow();
    assertThat(ready.getReason()).isEqualTo("InvalidToolPolicy");
    assertThat(ready.getMessage())
        .contains("ToolPolicy/team-a/shell: spec.rules[1].when: invalid CEL")
        .contains("the last good bundle (revision " + revision + ") stays published");
    assertThat(condition(identity, "Accepted").orElseThrow().getStatus()).isEqualTo("True");
    assertThat(identity.getStatus().getBundle().getRevision()).isEqualTo(revision);
    ConfigMap kept =
        client.configMaps().inNamespace("team-a").withName("tollgate-bundle-coder").get();
    assertThat(kept.getData().get("bundle.json")).isEqualTo(good);
    assertThat(kept.getMetadata().getResourceVersion())
        .as("never rewritten while broken")
        .isEqualTo(resourceVersion);
    await().atMost(WAIT).until(() -> eventReasons().contains("InvalidToolPolicy"));

    String fixed =
        AgentIdentityReconcilerTest.MANIFESTS.replace(
            "resource.program == 'rm'", "resource.program in ['rm', 'shred']");
    OperatorHarness.apply(client, fixed);
    awaitBundle(OperatorHarness.cliBundle(fixed, "team-a", "coder"));
    AgentIdentity healed =
        awaitIdentity(
            i -> condition(i, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false));
    assertThat(healed.getStatus().getBundle().getRevision()).isNotEqualTo(revision);
    await()
        .atMost(WAIT)
        .until(() -> eventReasons().stream().filter("BundlePublished"::equals).count() == 2);
    // Two transitions to Ready=True (first publish, heal) and one to False: no Event per reconcile.
    assertThat(eventReasons()).filteredOn("InvalidToolPolicy"::equals).hasSize(1);
  }

  @Test
  void aMissingScopePublishesNothingAndIsNotAccepted() {
    OperatorHarness.apply(
        client,
        AgentIdentityReconcilerTest.MANIFESTS.replace(
            "toolScopes: [{name: base}]", "toolScopes: [{name: base}, {name: github}]"));

    AgentIdentity identity = awaitIdentity(i -> condition(i, "Accepted").isPresent());
    Condition accepted = condition(identity, "Accepted").orElseThrow();
    assertThat(accepted.getStatus()).isEqualTo("False");
    assertThat(accepted.getReason()).isEqualTo("ToolScopeNotFound");
    assertThat(accepted.getMessage())
        .contains("spec.toolScopes[1].name: ToolScope team-a/github does not exist");
    assertThat(condition(identity, "Ready").orElseThrow().getMessage())
        .contains("no bundle is published");
    assertThat(client.configMaps().inNamespace("team-a").withName("tollgate-bundle-coder").get())
        .isNull();

    OperatorHarness.apply(
        client,
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: github, namespace: team-a}
        spec: {tools: ["mcp__github__get_*"]}
        """);
    awaitIdentity(i -> condition(i, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false));
    assertThat(
            client
                .configMaps()
                .inNamespace("team-a")
                .withName("tollgate-bundle-coder")
                .get()
                .getData()
                .get("bundle.json"))
        .contains("mcp__github__get_*");
  }

  @Test
  void aSelectorThatMovesRecompilesBothTheNewlyAndTheNoLongerSelected() {
    OperatorHarness.apply(
        client,
        AgentIdentityReconcilerTest.MANIFESTS
            + """
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: reviewer, namespace: team-a, labels: {tier: review}}
        spec: {serviceAccountName: reviewer, toolScopes: [{name: base}]}
        """);
    awaitIdentity(
        i -> i.getStatus() != null && List.of("team-a/shell").equals(i.getStatus().getPolicies()));

    OperatorHarness.apply(
        client,
        AgentIdentityReconcilerTest.MANIFESTS.replace(
            "matchLabels: {tier: dev}", "matchLabels: {tier: review}"));

    awaitIdentity(
        i ->
            i.getStatus() != null
                && (i.getStatus().getPolicies() == null || i.getStatus().getPolicies().isEmpty()));
    await()
        .atMost(WAIT)
        .until(
            () -> {
              AgentIdentity reviewer =
                  client
                      .resources(AgentIdentity.class)
                      .inNamespace("team-a")
                      .withName("reviewer")
                      .get();
              return reviewer.getStatus() != null
                  && List.of("team-a/shell").equals(reviewer.getStatus().getPolicies());
            });
    assertThat(
            client
                .configMaps()
                .inNamespace("team-a")
                .withName("tollgate-bundle-coder")
                .get()
                .getData()
                .get("bundle.json"))
        .doesNotContain("team-a/shell/no-rm");
    assertThat(
            client
                .configMaps()
                .inNamespace("team-a")
                .withName("tollgate-bundle-reviewer")
                .get()
                .getData()
                .get("bundle.json"))
        .contains("team-a/shell/no-rm");
  }

  private ConfigMap awaitBundle(String expected) {
    return await()
        .atMost(WAIT)
        .until(
            () -> client.configMaps().inNamespace("team-a").withName("tollgate-bundle-coder").get(),
            cm -> cm != null && expected.equals(cm.getData().get("bundle.json")));
  }

  @Test
  void theStatusCountsTheIdentitysPendingApprovals() {
    OperatorHarness.apply(client, AgentIdentityReconcilerTest.MANIFESTS);
    awaitIdentity(
        i ->
            i.getStatus() != null
                && Integer.valueOf(0).equals(i.getStatus().getPendingApprovals()));
    String later = "2026-11-23T11:00:00Z";
    OperatorHarness.apply(client, approvalYaml("pending-1", "coder", later, null));
    OperatorHarness.apply(client, approvalYaml("pending-2", "coder", later, null));
    OperatorHarness.apply(client, approvalYaml("decided", "coder", later, "Approved"));
    OperatorHarness.apply(client, approvalYaml("someone-else", "reviewer", later, null));
    awaitIdentity(i -> Integer.valueOf(2).equals(i.getStatus().getPendingApprovals()));

    client
        .resources(ToolCallApproval.class)
        .inNamespace("team-a")
        .withName("pending-1")
        .edit(
            a -> {
              a.getSpec().setDecision(ApprovalDecision.REJECTED);
              a.getSpec().setDecidedBy("alice");
              return a;
            });
    awaitIdentity(i -> Integer.valueOf(1).equals(i.getStatus().getPendingApprovals()));
  }

  private static String approvalYaml(
      String name, String identity, String expiresAt, String decision) {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolCallApproval
        metadata: {name: %s, namespace: team-a}
        spec:
          identity: %s
          pod: coder-0
          tool: Bash
          argsDigest: "%s"
          approvers: ["user:alice"]
          expiresAt: "%s"
        """
            .formatted(name, identity, "ab".repeat(32), expiresAt)
        + (decision == null ? "" : "  decision: " + decision + "\n  decidedBy: alice\n");
  }

  private AgentIdentity awaitIdentity(Predicate<AgentIdentity> condition) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                client.resources(AgentIdentity.class).inNamespace("team-a").withName("coder").get(),
            i -> i != null && condition.test(i));
  }

  private List<String> eventReasons() {
    return client.resources(Event.class).inNamespace("team-a").list().getItems().stream()
        .filter(e -> "coder".equals(e.getRegarding().getName()))
        .map(Event::getReason)
        .toList();
  }

  private static Optional<Condition> condition(AgentIdentity identity, String type) {
    if (identity.getStatus() == null || identity.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return identity.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }
}
