package dev.tollgate.e2e;

import static dev.tollgate.e2e.TollgateCluster.AGENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.api.BundleConfigMaps;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.ToolPolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator, running as in a cluster, turns examples/ into Ready identities and bundles. */
@ExtendWith(TollgateClusterExtension.class)
class OperatorIT {

  private static KubernetesClient admin;

  @BeforeAll
  static void applyExamples(TollgateCluster cluster) {
    admin = cluster.admin();
    Examples.apply(cluster);
  }

  @Test
  void exampleIdentitiesBecomeReadyWithTheirBundlePublished() {
    for (String name : new String[] {"repo-coder", "docs-writer"}) {
      AgentIdentity identity = Identities.awaitReady(admin, AGENTS, name);
      ConfigMap bundle = Identities.bundle(admin, AGENTS, name);

      assertThat(identity.getStatus().getBundle().getConfigMap())
          .isEqualTo("tollgate-bundle-" + name);
      assertThat(bundle.getMetadata().getAnnotations())
          .containsEntry(
              BundleConfigMaps.REVISION_ANNOTATION, identity.getStatus().getBundle().getRevision());
      assertThat(bundle.getData().get(BundleConfigMaps.DATA_KEY)).contains("\"" + name + "\"");
      assertThat(bundle.getMetadata().getOwnerReferences())
          .as("owned by the identity, so deleting it deletes the bundle")
          .anySatisfy(
              owner -> assertThat(owner.getUid()).isEqualTo(identity.getMetadata().getUid()));
    }
    assertThat(Identities.get(admin, AGENTS, "repo-coder").getStatus().getPolicies())
        .anySatisfy(p -> assertThat(p).contains("shell"));
  }

  @Test
  void conditionTransitionsAreRecordedAsEventsTheApiServerAccepts() {
    Identities.awaitReady(admin, AGENTS, "repo-coder");

    // The API server validates Events (the name prefix among others) where the mock server did not.
    Awaitility.await("a BundlePublished Event regarding AgentIdentity repo-coder")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                admin.events().v1().events().inNamespace(AGENTS).list().getItems().stream()
                    .anyMatch(
                        e ->
                            e.getRegarding() != null
                                && "AgentIdentity".equals(e.getRegarding().getKind())
                                && "repo-coder".equals(e.getRegarding().getName())
                                && "BundlePublished".equals(e.getReason())));
  }

  @Test
  void aToolPolicyWithBadCelIsRefusedAtApplyTimeAndItsFixIsPublished() {
    Manifests.applyYaml(admin, policy("tool == 'Read'"));
    String before = awaitBundleContaining("tool == 'Read'");

    assertThatThrownBy(() -> Manifests.applyYaml(admin, policy("tool == ")))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("admission webhook \"policies.tollgate.dev\" denied the request")
        .hasMessageContaining("spec.rules[0].when")
        .hasMessageContaining("invalid CEL");
    assertThat(
            admin
                .resources(ToolPolicy.class)
                .inNamespace(AGENTS)
                .withName("e2e-extra")
                .get()
                .getSpec()
                .getRules()
                .get(0)
                .getWhen())
        .as("the refused version is not stored")
        .isEqualTo("tool == 'Read'");

    Manifests.applyYaml(
        admin, policy("tool == 'Read' && args.file_path.startsWith('/workspace/')"));
    String after = awaitBundleContaining("args.file_path.startsWith('/workspace/')");
    assertThat(after).isNotEqualTo(before);
    assertThat(Identities.ready(Identities.get(admin, AGENTS, "repo-coder"))).isTrue();
  }

  /**
   * Waits for repo-coder to be Ready with a bundle that contains the text; returns its revision.
   */
  private static String awaitBundleContaining(String text) {
    Awaitility.await("repo-coder's bundle with " + text)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              AgentIdentity identity = Identities.get(admin, AGENTS, "repo-coder");
              ConfigMap bundle = Identities.bundle(admin, AGENTS, "repo-coder");
              return Identities.ready(identity)
                  && bundle != null
                  && bundle.getData().get(BundleConfigMaps.DATA_KEY).contains(text)
                  && identity
                      .getStatus()
                      .getBundle()
                      .getRevision()
                      .equals(
                          bundle
                              .getMetadata()
                              .getAnnotations()
                              .get(BundleConfigMaps.REVISION_ANNOTATION));
            });
    return Identities.get(admin, AGENTS, "repo-coder").getStatus().getBundle().getRevision();
  }

  private static String policy(String when) {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: e2e-extra, namespace: %s}
        spec:
          agents: {names: [repo-coder]}
          rules:
            - name: reads
              tools: [Read]
              when: "%s"
              effect: Allow
        """
        .formatted(AGENTS, when);
  }
}
