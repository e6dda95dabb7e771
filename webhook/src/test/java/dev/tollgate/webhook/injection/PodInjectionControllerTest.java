package dev.tollgate.webhook.injection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.webhook.delegation.Principal;
import dev.tollgate.webhook.delegation.TestDelegation;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * AdmissionReview fixtures in, JSON Patch out, applied to the pod as the API server would and
 * compared with a golden pod for each Kubernetes variant (native sidecars from 1.29, a plain
 * container before). Regenerate the golden pods with {@code -Dtollgate.updateGolden=true}.
 */
class PodInjectionControllerTest {

  private static final Path FIXTURES = Path.of("src/test/resources/injection");
  // The same review and cluster objects the webhook replays at start to warm up.
  private static final Path WARMUP = Path.of("src/main/resources/warmup");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final boolean UPDATE = Boolean.getBoolean("tollgate.updateGolden");

  static InjectionSettings settings(boolean nativeSidecars) {
    return new InjectionSettings(
        "registry.example/tollgate-sidecar:0.1.0",
        "IfNotPresent",
        List.of(
            "java",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            "/app/tollgate-sidecar.jar",
            "dev.tollgate.sidecar.install.HookInstaller"),
        List.of("-XX:+UseSerialGC", "-Xmx64m"),
        "50m",
        "96Mi",
        "500m",
        "160Mi",
        nativeSidecars,
        "/home/agent",
        65_100,
        "tollgate-system/tollgate-delegation-keys");
  }

  static PodInjectionController controller(boolean nativeSidecars, String... grants)
      throws Exception {
    return new PodInjectionController(
        new StaticClusterState(Files.readString(WARMUP.resolve("cluster.yaml"))),
        new SidecarInjection(settings(nativeSidecars)),
        TestDelegation.check(grants),
        Set.of("kube-system", "tollgate-system"));
  }

  static ObjectNode review() throws Exception {
    return (ObjectNode) JSON.readTree(Files.readString(WARMUP.resolve("pod-create-review.json")));
  }

  static AdmissionResponse admit(PodInjectionController controller, JsonNode review) {
    AdmissionRequest request =
        Serialization.unmarshal(review.toString(), AdmissionReview.class).getRequest();
    AdmissionResponse response = controller.admit(request);
    assertThat(response.getUid()).isEqualTo(request.getUid());
    return response;
  }

  static JsonNode patchOf(AdmissionResponse response) throws Exception {
    assertThat(response.getPatchType()).isEqualTo("JSONPatch");
    return JSON.readTree(
        new String(Base64.getDecoder().decode(response.getPatch()), StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "native sidecars: {0}")
  @CsvSource({"true, pod-injected-native.yaml", "false, pod-injected-plain-container.yaml"})
  void injectsAsTheGoldenPodAndInjectingTwiceEqualsOnce(boolean nativeSidecars, String golden)
      throws Exception {
    PodInjectionController controller = controller(nativeSidecars);
    ObjectNode review = review();
    JsonNode pod = review.at("/request/object");

    AdmissionResponse response = admit(controller, review);
    assertThat(response.getAllowed()).isTrue();
    JsonNode injected = JsonPatch.apply(patchOf(response), pod);

    Path expected = FIXTURES.resolve(golden);
    String actual = YAML.writeValueAsString(injected);
    if (UPDATE) {
      Files.writeString(expected, actual);
    }
    assertThat(actual).isEqualTo(Files.readString(expected));

    // Re-invocation (reinvocationPolicy: IfNeeded) and re-submission see the injected pod.
    ((ObjectNode) review.get("request")).set("object", injected);
    AdmissionResponse again = admit(controller, review);
    assertThat(again.getAllowed()).isTrue();
    assertThat(again.getPatch()).as("injection is idempotent").isNull();
  }

  @Test
  void stampsRequestedByFromTheAuthenticatedUserNeverFromThePod() throws Exception {
    JsonNode injected =
        JsonPatch.apply(patchOf(admit(controller(true), review())), review().at("/request/object"));
    JsonNode annotations = injected.at("/metadata/annotations");
    assertThat(annotations.path("tollgate.dev/requested-by").asText()).isEqualTo("bob");
    assertThat(annotations.path("tollgate.dev/on-behalf-of").asText())
        .as("a human creating the pod")
        .isEqualTo("bob");
    assertThat(annotations.path("tollgate.dev/on-behalf-of-groups").asText())
        .isEqualTo("developers");
    assertThat(annotations.path("tollgate.dev/identity").asText()).isEqualTo("agents/repo-coder");
    assertThat(annotations.path("tollgate.dev/bundle-revision").asText())
        .isEqualTo("cc6efdd47e8f8772");
  }

  @Test
  void theBundleAndCredentialsAreMountedIntoTheSidecarAlone() throws Exception {
    JsonNode injected =
        JsonPatch.apply(patchOf(admit(controller(true), review())), review().at("/request/object"));
    JsonNode agent = injected.at("/spec/containers/0");
    assertThat(agent.path("name").asText()).isEqualTo("claude");
    assertThat(agent.path("volumeMounts").toString())
        .doesNotContain("tollgate-bundle")
        .doesNotContain("tollgate-mcp-");
    assertThat(agent.path("volumeMounts").toString())
        .contains(
            "\"mountPath\":\"/opt/tollgate/bin\",\"name\":\"tollgate-bin\",\"readOnly\":true");
    assertThat(agent.path("env").toString())
        .as("the agent's own TOLLGATE_URL is replaced")
        .contains("http://127.0.0.1:9440")
        .doesNotContain("evil.example");
    JsonNode sidecar = injected.at("/spec/initContainers/1");
    assertThat(sidecar.path("name").asText()).isEqualTo("tollgate-sidecar");
    assertThat(sidecar.path("restartPolicy").asText()).isEqualTo("Always");
    assertThat(sidecar.path("volumeMounts").toString())
        .contains("\"name\":\"tollgate-bundle\",\"readOnly\":true")
        .contains("\"name\":\"tollgate-mcp-github\",\"readOnly\":true");
  }

  @Test
  void theInstallerWritesTheIdentitysMcpServersAtTheGatewayAsTheOnlyOnes() throws Exception {
    JsonNode injected =
        JsonPatch.apply(patchOf(admit(controller(true), review())), review().at("/request/object"));
    JsonNode installer = injected.at("/spec/initContainers/0");
    assertThat(installer.path("name").asText()).isEqualTo("tollgate-install");
    Map<String, String> env = new HashMap<>();
    installer.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    assertThat(JSON.readTree(env.get("TOLLGATE_MANAGED_MCP")))
        .isEqualTo(
            JSON.readTree(
                "{\"mcpServers\": {\"github\":"
                    + " {\"type\": \"http\", \"url\": \"http://127.0.0.1:9440/mcp/github\"}}}"));
    JsonNode settings = JSON.readTree(env.get("TOLLGATE_MANAGED_SETTINGS"));
    assertThat(settings.path("allowedMcpServers").toString())
        .isEqualTo("[{\"serverUrl\":\"http://127.0.0.1:9440/mcp/github\"}]");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "another service account  | /request/object/spec/serviceAccountName | \"builder\" | pod runs under service account builder, but AgentIdentity agents/repo-coder selects it and requires service account repo-coder",
        "no service account       | /request/object/spec/serviceAccountName | null        | pod runs under service account default, but AgentIdentity agents/repo-coder selects it and requires service account repo-coder",
        "host network             | /request/object/spec/hostNetwork        | true        | agent pods may not use hostNetwork",
        "shared process namespace | /request/object/spec/shareProcessNamespace | true     | agent pods may not share their process namespace",
        "a principal not proven   | /request/object/metadata/annotations/tollgate.dev~1on-behalf-of | \"alice\" | bob may not impersonate user alice",
      })
  void refusesPodsThatCouldSlipPastTheDecisionPoint(
      String name, String pointer, String value, String message) throws Exception {
    ObjectNode review = review();
    set(review, pointer, JSON.readTree(value));
    AdmissionResponse response = admit(controller(true), review);
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getCode()).isEqualTo(403);
    assertThat(response.getStatus().getMessage()).contains(message);
  }

  @Test
  void aProvenPrincipalTheIdentityMayNotActForIsStillRefused() throws Exception {
    ObjectNode review = review();
    set(
        review,
        "/request/object/metadata/annotations/tollgate.dev~1on-behalf-of",
        JSON.readTree("\"mallory\""));
    AdmissionResponse response = admit(controller(true, "bob users/mallory"), review);
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getMessage())
        .contains(
            "AgentIdentity agents/repo-coder may not act on behalf of user:mallory; allowed: "
                + "group:developers, user:alice");
  }

  @Test
  void aControllerCreatedPodWithoutAPrincipalIsRefusedWhenDelegationIsRequired() throws Exception {
    ObjectNode review = review();
    set(
        review,
        "/request/userInfo/username",
        JSON.readTree("\"system:serviceaccount:kube-system:replicaset-controller\""));
    AdmissionResponse response = admit(controller(true), review);
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getMessage())
        .contains("requires a principal: set annotation tollgate.dev/on-behalf-of");

    set(
        review,
        "/request/object/metadata/annotations/tollgate.dev~1on-behalf-of",
        JSON.readTree("\"alice\""));
    assertThat(admit(controller(true), review).getStatus().getMessage())
        .as("a controller's pod without an owner proves nothing")
        .contains(
            "system:serviceaccount:kube-system:replicaset-controller may not impersonate user alice");

    set(
        review,
        "/request/object/metadata/ownerReferences",
        JSON.readTree(
            "[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"coder-7f9c\","
                + "\"uid\":\"u-1\",\"controller\":true}]"));
    set(
        review,
        "/request/object/metadata/annotations/tollgate.dev~1delegation-proof",
        JSON.readTree(
            "\""
                + TestDelegation.check()
                    .stamp("agents", "ReplicaSet", "coder-7f9c", new Principal("alice", List.of()))
                    .text()
                + "\""));
    set(
        review,
        "/request/object/metadata/annotations/tollgate.dev~1on-behalf-of-groups",
        JSON.readTree("\"\""));
    assertThat(admit(controller(true), review).getAllowed())
        .as("its ReplicaSet's proof, copied by the ReplicaSet controller")
        .isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not selected              | /request/object/metadata/labels/app.kubernetes.io~1name | \"web\"",
        "kube-system               | /request/namespace                                      | \"kube-system\"",
        "Tollgate's own namespace  | /request/namespace                                      | \"tollgate-system\"",
        "an update                 | /request/operation                                      | \"UPDATE\"",
        "another kind              | /request/kind/kind                                      | \"Service\"",
      })
  void leavesEverythingElseUntouched(String name, String pointer, String value) throws Exception {
    ObjectNode review = review();
    set(review, pointer, JSON.readTree(value));
    AdmissionResponse response = admit(controller(true), review);
    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getPatch()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no user at all              | /request/object/spec/securityContext | {} | container claude has no runAsUser",
        "root                        | /request/object/spec/securityContext | {\"runAsUser\":0} | container claude runs as root",
        "the sidecar's user          | /request/object/spec/securityContext | {\"runAsUser\":65100} | container claude runs as user 65100, the decision point's own",
        "the sidecar's group         | /request/object/spec/securityContext | {\"runAsUser\":1000,\"runAsGroup\":65100} | container claude runs as group 65100",
        "the sidecar's fsGroup       | /request/object/spec/securityContext | {\"runAsUser\":1000,\"fsGroup\":65100} | fsGroup or supplementalGroups include 65100",
        "privileged                  | /request/object/spec/containers/0/securityContext | {\"privileged\":true} | container claude is privileged",
        "privilege escalation        | /request/object/spec/containers/0/securityContext | {\"allowPrivilegeEscalation\":true} | container claude sets allowPrivilegeEscalation: true",
        "added capabilities          | /request/object/spec/containers/0/securityContext | {\"capabilities\":{\"add\":[\"NET_ADMIN\"]}} | container claude adds capabilities [NET_ADMIN]",
        "container overrides to root | /request/object/spec/containers/0/securityContext | {\"runAsUser\":0} | container claude runs as root",
        "a token of its own          | /request/object/spec/containers/0/volumeMounts | [{\"name\":\"my-token\",\"mountPath\":\"/t\"}] | container claude mounts a service-account token (volume my-token)",
        "the sidecar's credentials   | /request/object/spec/containers/0/volumeMounts | [{\"name\":\"tollgate-mcp-github\",\"mountPath\":\"/t\"}] | container claude mounts volume tollgate-mcp-github, which belongs to the decision point",
        "the git credentials         | /request/object/spec/containers/0/volumeMounts | [{\"name\":\"tollgate-git-cred-shop\",\"mountPath\":\"/t\",\"readOnly\":true}] | container claude mounts volume tollgate-git-cred-shop, which belongs to the decision point",
        "the git mirrors             | /request/object/spec/containers/0/volumeMounts | [{\"name\":\"tollgate-git-mirror\",\"mountPath\":\"/t\",\"readOnly\":true}] | container claude mounts volume tollgate-git-mirror, which belongs to the decision point",
        "the audit export headers    | /request/object/spec/containers/0/volumeMounts | [{\"name\":\"tollgate-audit-export-headers\",\"mountPath\":\"/t\",\"readOnly\":true}] | container claude mounts volume tollgate-audit-export-headers, which belongs to the decision point",
        "the hook client, writable   | /request/object/spec/containers/0/volumeMounts | [{\"name\":\"tollgate-bin\",\"mountPath\":\"/t\"}] | container claude mounts Tollgate's volume tollgate-bin writable",
      })
  void refusesAgentContainersWithAmbientAuthority(
      String name, String pointer, String value, String message) throws Exception {
    ObjectNode review = review();
    ((ObjectNode) review.at("/request/object/spec"))
        .set(
            "volumes",
            JSON.readTree(
                "[{\"name\":\"my-token\",\"projected\":{\"sources\":[{\"serviceAccountToken\":"
                    + "{\"path\":\"token\",\"audience\":\"vault\"}}]}}]"));
    set(review, pointer, JSON.readTree(value));
    AdmissionResponse response = admit(controller(true), review);
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getMessage())
        .startsWith("AgentIdentity agents/repo-coder selects this pod, and its")
        .contains(message);
  }

  @Test
  void aUserInitContainerIsHeldToTheSameRules() throws Exception {
    ObjectNode review = review();
    set(
        review,
        "/request/object/spec/initContainers",
        JSON.readTree(
            "[{\"name\":\"setup\",\"image\":\"busybox\",\"securityContext\":{\"runAsUser\":0}}]"));
    AdmissionResponse response = admit(controller(true), review);
    assertThat(response.getStatus().getMessage()).contains("container setup runs as root");
  }

  @Test
  void thePodsTokenGoesToTheDecisionPointAloneAndTheAgentCannotEscalate() throws Exception {
    ObjectNode review = review();
    // What the ServiceAccount admission plugin adds before any webhook runs.
    ((ObjectNode) review.at("/request/object/spec"))
        .withArray("volumes")
        .add(
            JSON.readTree(
                "{\"name\":\"kube-api-access-x7k2p\",\"projected\":{\"sources\":["
                    + "{\"serviceAccountToken\":{\"path\":\"token\",\"expirationSeconds\":3607}}]}}"));
    ((ObjectNode) review.at("/request/object/spec/containers/0"))
        .withArray("volumeMounts")
        .add(
            JSON.readTree(
                "{\"name\":\"kube-api-access-x7k2p\",\"mountPath\":"
                    + "\"/var/run/secrets/kubernetes.io/serviceaccount\",\"readOnly\":true}"));
    JsonNode injected =
        JsonPatch.apply(patchOf(admit(controller(true), review)), review.at("/request/object"));
    assertThat(injected.at("/spec/automountServiceAccountToken").asBoolean(true)).isFalse();
    assertThat(injected.at("/spec/volumes").toString()).doesNotContain("kube-api-access");
    JsonNode agent = injected.at("/spec/containers/0");
    assertThat(agent.path("volumeMounts").toString())
        .doesNotContain("serviceaccount")
        .doesNotContain("tollgate-token");
    assertThat(agent.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(agent.path("env").toString())
        .contains("{\"name\":\"BASH_ENV\",\"value\":\"\"}")
        .contains("{\"name\":\"HOME\",\"value\":\"/home/agent\"}");
    JsonNode sidecar = injected.at("/spec/initContainers/1");
    assertThat(sidecar.path("volumeMounts").toString())
        .contains(
            "{\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\",\"name\":\"tollgate-token\",\"readOnly\":true}");
    assertThat(sidecar.at("/securityContext/runAsUser").asLong()).isEqualTo(65_100);
    assertThat(sidecar.path("env").toString())
        .as("the principal is a value, which no annotation patch can change")
        .contains("{\"name\":\"TOLLGATE_PRINCIPAL\",\"value\":\"bob\"}")
        .doesNotContain("metadata.annotations");
  }

  @Test
  void theAgentsOwnHomeIsKeptAndTheDecisionPointResolvesTildeAgainstIt() throws Exception {
    ObjectNode review = review();
    ((ArrayNode) review.at("/request/object/spec/containers/0/env"))
        .add(JSON.readTree("{\"name\":\"HOME\",\"value\":\"/home/node\"}"));
    JsonNode injected =
        JsonPatch.apply(patchOf(admit(controller(true), review)), review.at("/request/object"));
    assertThat(injected.at("/spec/initContainers/1/env").toString())
        .contains("{\"name\":\"TOLLGATE_AGENT_HOME\",\"value\":\"/home/node\"}");
  }

  @Test
  void twoIdentitiesSelectingOnePodIsARefusal() throws Exception {
    String cluster =
        Files.readString(WARMUP.resolve("cluster.yaml"))
            + """
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: shadow, namespace: agents}
        spec:
          selector: {matchExpressions: [{key: app.kubernetes.io/name, operator: Exists}]}
          serviceAccountName: repo-coder
        """;
    PodInjectionController controller =
        new PodInjectionController(
            new StaticClusterState(cluster),
            new SidecarInjection(
                new InjectionSettings(
                    "img",
                    "IfNotPresent",
                    List.of("x"),
                    List.of(),
                    "1m",
                    "1Mi",
                    "1m",
                    "1Mi",
                    true,
                    "/home/agent",
                    65_100,
                    "tollgate-system/keys")),
            TestDelegation.check(),
            Set.of());
    AdmissionResponse response = admit(controller, review());
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getMessage())
        .contains("selected by several AgentIdentities (repo-coder, shadow)");
  }

  private static void set(ObjectNode root, String pointer, JsonNode value) {
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = root.at(pointer.substring(0, slash));
    String field = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
    Consumer<ObjectNode> put =
        node -> {
          if (value.isNull()) {
            node.remove(field);
          } else {
            node.set(field, value);
          }
        };
    put.accept((ObjectNode) parent);
  }
}
