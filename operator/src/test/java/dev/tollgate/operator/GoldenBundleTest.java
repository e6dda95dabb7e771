package dev.tollgate.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Input manifests in, the expected bundle ConfigMaps out, with a fixed clock; and each bundle
 * byte-identical to what {@code tollgate bundle} prints for the same files. Regenerate with {@code
 * -Dtollgate.updateGolden=true}.
 */
@EnableKubernetesMockClient(crud = true)
class GoldenBundleTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final Path EXAMPLES = Path.of("../examples");
  private static final boolean UPDATE = Boolean.getBoolean("tollgate.updateGolden");

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

  @ParameterizedTest
  @ValueSource(strings = {"examples", "selectors-and-mcp"})
  void publishesTheExpectedBundles(String name) throws Exception {
    Path input = name.equals("examples") ? EXAMPLES : GOLDEN.resolve(name).resolve("input");
    String manifests = manifests(input);
    OperatorHarness.apply(client, manifests);
    List<AgentIdentity> identities =
        OperatorHarness.load(manifests).stream()
            .filter(AgentIdentity.class::isInstance)
            .map(AgentIdentity.class::cast)
            .toList();
    assertThat(identities).isNotEmpty();

    for (AgentIdentity identity : identities) {
      String namespace = identity.getMetadata().getNamespace();
      String identityName = identity.getMetadata().getName();
      String cli = OperatorHarness.cliBundle(manifests, namespace, identityName);
      ConfigMap published =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      client
                          .configMaps()
                          .inNamespace(namespace)
                          .withName("tollgate-bundle-" + identityName)
                          .get(),
                  cm -> cm != null && cli.equals(cm.getData().get("bundle.json")));
      String actual = Serialization.asYaml(withoutServerFields(published));
      Path expected =
          GOLDEN
              .resolve(name)
              .resolve("expected")
              .resolve(namespace + "." + identityName + ".configmap.yaml");
      if (UPDATE) {
        Files.createDirectories(expected.getParent());
        Files.writeString(expected, actual);
      }
      assertThat(expected)
          .as("golden file (regenerate with -Dtollgate.updateGolden=true)")
          .exists();
      assertThat(actual)
          .as("bundle ConfigMap of %s/%s", namespace, identityName)
          .isEqualTo(Files.readString(expected));
    }
  }

  /**
   * Server-set fields (uid, resourceVersion, timestamps) and JOSDK's bookkeeping annotation (which
   * holds them) would make the golden file unstable.
   */
  private static ConfigMap withoutServerFields(ConfigMap configMap) {
    ObjectMeta meta = configMap.getMetadata();
    ConfigMap copy = Serialization.clone(configMap);
    copy.setMetadata(
        new ObjectMetaBuilder()
            .withName(meta.getName())
            .withNamespace(meta.getNamespace())
            .withLabels(new TreeMap<>(meta.getLabels()))
            .withAnnotations(
                meta.getAnnotations().entrySet().stream()
                    .filter(entry -> !entry.getKey().startsWith("javaoperatorsdk.io/"))
                    .collect(
                        Collectors.toMap(
                            Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new)))
            .withOwnerReferences(
                meta.getOwnerReferences().stream()
                    .map(owner -> new OwnerReferenceBuilder(owner).withUid("<uid>").build())
                    .toList())
            .build());
    return copy;
  }

  /**
   * Every Tollgate manifest under a folder (policy test files are for the CLI, not the cluster).
   */
  private static String manifests(Path folder) throws IOException {
    List<String> documents = new ArrayList<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (HasMetadata object : OperatorHarness.load(Files.readString(file))) {
          if (object.getApiVersion().startsWith("tollgate.dev/")) {
            documents.add(Serialization.asYaml(object));
          }
        }
      }
    }
    return String.join("", documents);
  }
}
