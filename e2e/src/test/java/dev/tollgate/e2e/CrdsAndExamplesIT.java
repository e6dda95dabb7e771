package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The committed CRDs and examples are accepted by a real API server, not only by our own checks.
 */
@ExtendWith(TollgateClusterExtension.class)
class CrdsAndExamplesIT {

  @Test
  void everyCrdAppliesWithAStructuralSchema(TollgateCluster cluster) {
    List<CustomResourceDefinition> crds = cluster.applyCrds();

    assertThat(crds)
        .extracting(crd -> crd.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "agentidentities.tollgate.dev",
            "toolcallapprovals.tollgate.dev",
            "toolpolicies.tollgate.dev",
            "toolscopes.tollgate.dev");
    // The API server refuses a v1 CRD whose schema is not structural; it reports what it accepted
    // but cannot serve (names, schema) as conditions instead.
    assertAll(
        crds.stream()
            .map(
                crd ->
                    () -> {
                      String name = crd.getMetadata().getName();
                      assertThat(Conditions.isTrue(crd, "Established"))
                          .as(name + " Established")
                          .isTrue();
                      assertThat(Conditions.isTrue(crd, "NamesAccepted"))
                          .as(name + " NamesAccepted")
                          .isTrue();
                      assertThat(Conditions.present(crd, "NonStructuralSchema"))
                          .as(name + " NonStructuralSchema")
                          .isFalse();
                      assertThat(crd.getSpec().getVersions())
                          .as(name + " served versions")
                          .anySatisfy(v -> assertThat(v.getName()).isEqualTo("v1alpha1"));
                    }));
  }

  @Test
  void everyExampleAppliesServerSide(TollgateCluster cluster) {
    Path examples = cluster.repoRoot().resolve("examples");
    List<Path> files =
        Manifests.yamlFiles(examples).stream()
            // Policy test files (cli.tollgate.dev ToolPolicyTest) are input for `tollgate test`,
            // not
            // Kubernetes objects; checked below to be nothing else.
            .filter(file -> !file.startsWith(examples.resolve("tests")))
            .toList();
    assertThat(Manifests.yamlFiles(examples.resolve("tests")))
        .allSatisfy(
            file ->
                assertThat(Manifests.read(file))
                    .extracting(GenericKubernetesResource::getApiVersion)
                    .containsOnly("cli.tollgate.dev/v1alpha1"));

    List<String> applied = new ArrayList<>();
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      for (GenericKubernetesResource object : Manifests.read(file)) {
        // Namespace first where the file has one; examples/namespace.yaml sorts after
        // identities.yaml.
        Examples.ensureNamespace(cluster.admin(), object);
        GenericKubernetesResource stored = Manifests.apply(cluster.admin(), object);
        assertThat(stored.getMetadata().getUid())
            .as(file + ": " + object.getKind() + "/" + object.getMetadata().getName())
            .isNotBlank();
        applied.add(object.getKind() + "/" + object.getMetadata().getName());
      }
    }
    assertThat(applied)
        .contains("AgentIdentity/repo-coder", "AgentIdentity/docs-writer", "ToolPolicy/shell");
  }
}
