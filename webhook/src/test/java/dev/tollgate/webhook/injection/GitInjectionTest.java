package dev.tollgate.webhook.injection;

import static dev.tollgate.webhook.injection.PodInjectionControllerTest.admit;
import static dev.tollgate.webhook.injection.PodInjectionControllerTest.patchOf;
import static dev.tollgate.webhook.injection.PodInjectionControllerTest.review;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.api.GitRewriteConfig;
import dev.tollgate.webhook.delegation.TestDelegation;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An identity whose ToolScopes list git remotes: credentials and the mirror volume in the sidecar
 * alone, the rewrite for the installer to write, and every agent container pointed at it.
 * Regenerate the golden pods with {@code -Dtollgate.updateGolden=true}.
 */
class GitInjectionTest {

  private static final Path FIXTURES = Path.of("src/test/resources/injection");
  private static final Path WARMUP = Path.of("src/main/resources/warmup");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final boolean UPDATE = Boolean.getBoolean("tollgate.updateGolden");

  /** The warm-up cluster with a scope of two remotes, one of them anonymous. */
  static PodInjectionController controller(boolean nativeSidecars) throws Exception {
    String cluster = Files.readString(WARMUP.resolve("cluster.yaml"));
    String withGit =
        cluster.replace(
                "toolScopes: [{name: builtins}, {name: github-readonly}]",
                "toolScopes: [{name: builtins}, {name: github-readonly}, {name: shop-git}]")
            + """
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: ToolScope
            metadata: {name: shop-git, namespace: agents}
            spec:
              gitRemotes:
                - name: shop
                  url: https://github.com/acme/shop.git
                  credentialsSecretRef: {name: shop-git-token, key: token}
                - name: docs
                  url: https://github.com/acme/docs
            """;
    assertThat(withGit).contains("{name: shop-git}]");
    return new PodInjectionController(
        new StaticClusterState(withGit),
        new SidecarInjection(PodInjectionControllerTest.settings(nativeSidecars)),
        TestDelegation.check(),
        Set.of("kube-system", "tollgate-system"));
  }

  private static JsonNode inject(PodInjectionController controller, ObjectNode review)
      throws Exception {
    AdmissionResponse response = admit(controller, review);
    assertThat(response.getAllowed()).as(String.valueOf(response.getStatus())).isTrue();
    return JsonPatch.apply(patchOf(response), review.at("/request/object"));
  }

  @ParameterizedTest(name = "native sidecars: {0}")
  @CsvSource({"true, pod-injected-git.yaml", "false, pod-injected-git-plain-container.yaml"})
  void injectsAsTheGoldenPodAndInjectingTwiceEqualsOnce(boolean nativeSidecars, String golden)
      throws Exception {
    PodInjectionController controller = controller(nativeSidecars);
    ObjectNode review = review();
    JsonNode injected = inject(controller, review);

    Path expected = FIXTURES.resolve(golden);
    String actual = YAML.writeValueAsString(injected);
    if (UPDATE) {
      Files.writeString(expected, actual);
    }
    assertThat(actual).isEqualTo(Files.readString(expected));

    ((ObjectNode) review.get("request")).set("object", injected);
    AdmissionResponse again = admit(controller, review);
    assertThat(again.getAllowed()).isTrue();
    assertThat(again.getPatch()).as("injection is idempotent").isNull();
  }

  @Test
  void theSidecarAloneGetsTheCredentialAndTheDiskBackedMirror() throws Exception {
    JsonNode pod = inject(controller(true), review());

    JsonNode mirror = volume(pod, "tollgate-git-mirror");
    assertThat(mirror.at("/emptyDir/medium").isMissingNode())
        .as("on the node's disk: a repository does not belong in memory")
        .isTrue();
    assertThat(mirror.at("/emptyDir/sizeLimit").asText()).isEqualTo("2Gi");
    JsonNode credential = volume(pod, "tollgate-git-cred-shop");
    assertThat(credential.at("/secret/secretName").asText()).isEqualTo("shop-git-token");
    assertThat(credential.at("/secret/items/0/key").asText()).isEqualTo("token");
    assertThat(credential.at("/secret/items/0/path").asText()).isEqualTo("token");
    assertThat(names(pod.at("/spec/volumes")))
        .as("the anonymous remote has no credential volume")
        .doesNotContain("tollgate-git-cred-docs");

    JsonNode sidecar = container(pod.at("/spec/initContainers"), "tollgate-sidecar");
    assertThat(mount(sidecar, "tollgate-git-mirror").path("mountPath").asText())
        .isEqualTo("/var/lib/tollgate/git");
    assertThat(mount(sidecar, "tollgate-git-mirror").path("readOnly").asBoolean()).isFalse();
    assertThat(mount(sidecar, "tollgate-git-cred-shop").path("mountPath").asText())
        .as("<dir>/<remote>/token, as the gateway reads it")
        .isEqualTo("/var/run/tollgate/git/shop");
    assertThat(mount(sidecar, "tollgate-git-cred-shop").path("readOnly").asBoolean()).isTrue();
    assertThat(env(sidecar, "TOLLGATE_GIT_MIRROR_DIR")).isEqualTo("/var/lib/tollgate/git");
    assertThat(env(sidecar, "TOLLGATE_GIT_CREDENTIALS_DIR")).isEqualTo("/var/run/tollgate/git");

    JsonNode agent = container(pod.at("/spec/containers"), "claude");
    assertThat(names(agent.path("volumeMounts")))
        .noneMatch(name -> name.startsWith("tollgate-git"));
  }

  @Test
  void agentContainersReadTheRewriteTheInstallerWrites() throws Exception {
    ObjectNode review = review();
    ((ObjectNode) review.at("/request/object/spec"))
        .set(
            "initContainers",
            JSON.readTree(
                "[{\"name\":\"clone\",\"image\":\"alpine/git\","
                    + "\"env\":[{\"name\":\"GIT_CONFIG_NOSYSTEM\",\"value\":\"1\"}]}]"));
    JsonNode pod = inject(controller(true), review);

    JsonNode installer = container(pod.at("/spec/initContainers"), "tollgate-install");
    List<GitRewriteConfig.Remote> remotes =
        GitRewriteConfig.decode(env(installer, "TOLLGATE_GIT_REMOTES"));
    assertThat(remotes)
        .containsExactly(
            new GitRewriteConfig.Remote("shop", "https://github.com/acme/shop.git"),
            new GitRewriteConfig.Remote("docs", "https://github.com/acme/docs"));

    for (JsonNode agent :
        List.of(
            container(pod.at("/spec/containers"), "claude"),
            container(pod.at("/spec/initContainers"), "clone"))) {
      assertThat(env(agent, "GIT_CONFIG_SYSTEM")).isEqualTo("/opt/tollgate/bin/gitconfig");
      assertThat(env(agent, "GIT_CONFIG_NOSYSTEM"))
          .as("a pod's own switch would skip the file")
          .isEqualTo("0");
      assertThat(env(agent, "GIT_TERMINAL_PROMPT")).isEqualTo("0");
      assertThat(env(agent, "GIT_CONFIG_GLOBAL")).as("the agent's own config stays").isNull();
      assertThat(mount(agent, "tollgate-bin").path("readOnly").asBoolean()).isTrue();
    }
  }

  @Test
  void anIdentityWithoutRemotesGetsNoGitWiring() throws Exception {
    String pod =
        YAML.writeValueAsString(inject(PodInjectionControllerTest.controller(true), review()));
    assertThat(pod).doesNotContain("GIT_", "tollgate-git");
  }

  @Test
  void longRemoteNamesStillMakeValidDistinctVolumeNames() {
    String longest = "a".repeat(62) + "b";
    String other = "a".repeat(62) + "c";
    assertThat(GitInjection.credentialVolume("shop")).isEqualTo("tollgate-git-cred-shop");
    assertThat(GitInjection.credentialVolume(longest))
        .hasSizeLessThanOrEqualTo(63)
        .matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?")
        .startsWith("tollgate-git-cred-aaaa")
        .isNotEqualTo(GitInjection.credentialVolume(other));
  }

  private static JsonNode volume(JsonNode pod, String name) {
    return find(pod.at("/spec/volumes"), name);
  }

  private static JsonNode container(JsonNode containers, String name) {
    return find(containers, name);
  }

  private static JsonNode mount(JsonNode container, String name) {
    return find(container.path("volumeMounts"), name);
  }

  private static String env(JsonNode container, String name) {
    JsonNode variable = find(container.path("env"), name);
    return variable.isMissingNode() ? null : variable.path("value").asText();
  }

  private static JsonNode find(JsonNode list, String name) {
    return StreamSupport.stream(list.spliterator(), false)
        .filter(element -> name.equals(element.path("name").asText()))
        .findFirst()
        .orElse(JSON.missingNode());
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.forEach(element -> names.add(element.path("name").asText()));
    return names;
  }
}
