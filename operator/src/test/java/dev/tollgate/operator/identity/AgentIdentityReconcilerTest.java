package dev.tollgate.operator.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.operator.OperatorHarness;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class AgentIdentityReconcilerTest {

  static final String MANIFESTS =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: coder, namespace: team-a, labels: {tier: dev}}
      spec:
        serviceAccountName: coder-sa
        toolScopes: [{name: base}]
        approval: {defaultApprovers: ["group:leads"]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: base, namespace: team-a}
      spec: {tools: [Read, Bash]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolPolicy
      metadata: {name: shell, namespace: team-a}
      spec:
        agents: {selector: {matchLabels: {tier: dev}}}
        rules:
          - {name: shell, tools: [Bash], effect: Allow}
          - {name: no-rm, tools: [Bash], when: "resource.program == 'rm'", effect: Deny}
      """;

  KubernetesClient client;
  private OperatorHarness operator;
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void start() {
    operator = new OperatorHarness(client, clock);
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  @Test
  void publishesTheSameBundleAsTheCliWithStatusAndRbac() {
    OperatorHarness.apply(client, MANIFESTS);

    String expected = OperatorHarness.cliBundle(MANIFESTS, "team-a", "coder");
    ConfigMap bundle =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    client
                        .configMaps()
                        .inNamespace("team-a")
                        .withName("tollgate-bundle-coder")
                        .get(),
                cm -> cm != null && expected.equals(cm.getData().get("bundle.json")));
    assertThat(bundle.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(owner -> assertThat(owner.getKind()).isEqualTo("AgentIdentity"));

    AgentIdentity identity =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    client
                        .resources(AgentIdentity.class)
                        .inNamespace("team-a")
                        .withName("coder")
                        .get(),
                i ->
                    i.getStatus() != null
                        && i.getStatus().getBundle() != null
                        && bundle
                            .getMetadata()
                            .getAnnotations()
                            .get("tollgate.dev/bundle-revision")
                            .equals(i.getStatus().getBundle().getRevision()));
    assertThat(identity.getStatus().getObservedGeneration())
        .isEqualTo(identity.getMetadata().getGeneration());
    assertThat(identity.getStatus().getPolicies()).containsExactly("team-a/shell");
    assertThat(identity.getStatus().getBundle().getRevision())
        .isEqualTo(bundle.getMetadata().getAnnotations().get("tollgate.dev/bundle-revision"));
    assertThat(identity.getStatus().getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
        .containsExactly("Accepted=True/SpecValid", "Ready=True/BundlePublished");

    Role role =
        client.rbac().roles().inNamespace("team-a").withName("tollgate-sidecar-coder").get();
    assertThat(role.getRules())
        .extracting(
            r ->
                r.getResources().get(0)
                    + r.getResourceNames()
                    + ":"
                    + String.join(",", r.getVerbs()))
        .containsExactly(
            "toolcallapprovals[]:create,get,list,watch,update",
            "events[]:create",
            "configmaps[tollgate-bundle-coder]:get,list,watch");
    RoleBinding binding =
        client.rbac().roleBindings().inNamespace("team-a").withName("tollgate-sidecar-coder").get();
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            subject -> {
              assertThat(subject.getKind()).isEqualTo("ServiceAccount");
              assertThat(subject.getName()).isEqualTo("coder-sa");
            });

    String metrics = operator.metrics().scrape();
    assertThat(metrics)
        .containsPattern(
            "operator_sdk_reconciliations_started_total\\{[^}]*kind=\"AgentIdentity\"[^}]*} [1-9]")
        .containsPattern("tollgate_bundle_size_bytes_count [1-9]")
        .contains(
            "operator_sdk_controllers_execution_reconcile_seconds_bucket{controller=\"agentidentity\"");
  }
}
