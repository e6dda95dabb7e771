package dev.tollgate.webhook.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.webhook.delegation.Principal;
import dev.tollgate.webhook.delegation.TestDelegation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Per-pod annotations for the decision point, through the pod webhook as the API server calls it:
 * resources within the cluster's caps are honoured for that pod alone; JVM flags, unknown or
 * misspelt annotations, malformed quantities and asks above the caps refuse the pod (never a pod
 * admitted with defaults, nor one admitted without its decision point).
 */
class SidecarResourceAnnotationsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path WARMUP = Path.of("src/main/resources/warmup");
  private static final Path GOLDEN =
      Path.of("src/test/resources/injection/pod-injected-resources.yaml");
  private static final boolean UPDATE = Boolean.getBoolean("tollgate.updateGolden");

  /** The chart's defaults: 50m/96Mi requested, 500m/160Mi limits, caps of 2 CPUs and 1 GiB. */
  private static InjectionSettings settings() {
    InjectionSettings base = PodInjectionControllerTest.settings(true);
    return new InjectionSettings(
        base.sidecarImage(),
        base.imagePullPolicy(),
        base.installerCommand(),
        base.jvmOptions(),
        "50m",
        "96Mi",
        "500m",
        "160Mi",
        true,
        base.agentHome(),
        base.sidecarUser(),
        base.delegationKeys(),
        List.of(),
        false,
        InjectionSettings.DEFAULT_GIT_MIRROR_SIZE_LIMIT,
        "2",
        "1Gi",
        AuditExportInjection.NONE);
  }

  private static PodInjectionController controller() throws Exception {
    return new PodInjectionController(
        new StaticClusterState(Files.readString(WARMUP.resolve("cluster.yaml"))),
        new SidecarInjection(settings()),
        TestDelegation.check(),
        Set.of("kube-system", "tollgate-system"));
  }

  private static ObjectNode review(Map<String, String> annotations) throws Exception {
    ObjectNode review = PodInjectionControllerTest.review();
    ObjectNode podAnnotations = (ObjectNode) review.at("/request/object/metadata/annotations");
    // In name order: Map.of's order changes between runs, and the golden pod must not.
    new TreeMap<>(annotations).forEach(podAnnotations::put);
    return review;
  }

  private static JsonNode sidecarResources(JsonNode injected) {
    for (JsonNode container : injected.at("/spec/initContainers")) {
      if (container.path("name").asText().equals(SidecarInjection.SIDECAR)) {
        return container.path("resources");
      }
    }
    throw new AssertionError("no sidecar in " + injected);
  }

  @Test
  void withoutAnnotationsTheDecisionPointGetsTheClustersDefaults() throws Exception {
    ObjectNode review = review(Map.of());
    AdmissionResponse response = PodInjectionControllerTest.admit(controller(), review);
    JsonNode injected =
        JsonPatch.apply(PodInjectionControllerTest.patchOf(response), review.at("/request/object"));
    assertThat(sidecarResources(injected))
        .isEqualTo(
            JSON.readTree(
                "{\"limits\":{\"cpu\":\"500m\",\"memory\":\"160Mi\"},"
                    + "\"requests\":{\"cpu\":\"50m\",\"memory\":\"96Mi\"}}"));
  }

  @Test
  void resourcesWithinTheCapsAreHonouredForThatPodAndInjectingTwiceEqualsOnce() throws Exception {
    ObjectNode review =
        review(
            Map.of(
                "tollgate.dev/sidecar-cpu-request", "250m",
                "tollgate.dev/sidecar-cpu-limit", "2",
                "tollgate.dev/sidecar-memory-request", "256Mi",
                "tollgate.dev/sidecar-memory-limit", "1Gi"));
    PodInjectionController controller = controller();
    AdmissionResponse response = PodInjectionControllerTest.admit(controller, review);
    assertThat(response.getAllowed()).isTrue();
    JsonNode injected =
        JsonPatch.apply(PodInjectionControllerTest.patchOf(response), review.at("/request/object"));
    assertThat(sidecarResources(injected))
        .isEqualTo(
            JSON.readTree(
                "{\"limits\":{\"cpu\":\"2\",\"memory\":\"1Gi\"},"
                    + "\"requests\":{\"cpu\":\"250m\",\"memory\":\"256Mi\"}}"));
    // The whole pod: only the sidecar's resources differ from pod-injected-native.yaml.
    String actual = new YAMLMapper().writeValueAsString(injected);
    if (UPDATE) {
      Files.writeString(GOLDEN, actual);
    }
    assertThat(actual).isEqualTo(Files.readString(GOLDEN));
    // The agent's own container is not given the decision point's resources.
    assertThat(injected.at("/spec/containers/0/resources").toString()).doesNotContain("1Gi");
    // The annotations stay on the pod, so a re-invocation resolves the same resources.
    assertThat(injected.at("/metadata/annotations/tollgate.dev~1sidecar-memory-limit").asText())
        .isEqualTo("1Gi");
    ((ObjectNode) review.get("request")).set("object", injected);
    AdmissionResponse again = PodInjectionControllerTest.admit(controller, review);
    assertThat(again.getAllowed()).isTrue();
    assertThat(again.getPatch()).as("injection is idempotent").isNull();
  }

  @Test
  void oneAnnotationChangesOneValueAndAPodMayLowerItsDecisionPoint() throws Exception {
    ObjectNode review = review(Map.of("tollgate.dev/sidecar-memory-request", "64Mi"));
    AdmissionResponse response = PodInjectionControllerTest.admit(controller(), review);
    JsonNode resources =
        sidecarResources(
            JsonPatch.apply(
                PodInjectionControllerTest.patchOf(response), review.at("/request/object")));
    assertThat(resources.at("/requests/memory").asText()).isEqualTo("64Mi");
    assertThat(resources.at("/requests/cpu").asText()).isEqualTo("50m");
    assertThat(resources.at("/limits/memory").asText()).isEqualTo("160Mi");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "JVM flags (a Java agent)      | tollgate.dev/sidecar-jvm-options     | -javaagent:/work/spy.jar | annotation tollgate.dev/sidecar-jvm-options is refused: the decision point's JVM flags are the cluster's (webhook --sidecar-jvm-options, chart value sidecar.jvmOptions), because a flag such as -javaagent would run code of the pod's author inside its decision point",
        "JVM flags (harmless-looking)  | tollgate.dev/sidecar-jvm-options     | -Xmx256m                 | annotation tollgate.dev/sidecar-jvm-options is refused",
        "another image                 | tollgate.dev/sidecar-image           | evil/sidecar:1           | annotation tollgate.dev/sidecar-image is not one Tollgate reads; a pod may set only tollgate.dev/sidecar-cpu-request, tollgate.dev/sidecar-cpu-limit, tollgate.dev/sidecar-memory-request, tollgate.dev/sidecar-memory-limit",
        "a misspelt annotation         | tollgate.dev/sidecar-memory-limt     | 512Mi                    | annotation tollgate.dev/sidecar-memory-limt is not one Tollgate reads",
        "not a quantity                | tollgate.dev/sidecar-memory-limit    | lots                     | annotation tollgate.dev/sidecar-memory-limit must be a Kubernetes quantity such as 256Mi, got 'lots'",
        "a unit Kubernetes lacks       | tollgate.dev/sidecar-memory-limit    | 512MB                    | annotation tollgate.dev/sidecar-memory-limit must be a Kubernetes quantity such as 256Mi, got '512MB'",
        "negative                      | tollgate.dev/sidecar-cpu-request     | -1                       | annotation tollgate.dev/sidecar-cpu-request must be a Kubernetes quantity such as 250m, got '-1'",
        "empty                         | tollgate.dev/sidecar-cpu-limit       | ''                       | annotation tollgate.dev/sidecar-cpu-limit must be a Kubernetes quantity such as 1, got ''",
        "zero                          | tollgate.dev/sidecar-memory-limit    | 0                        | annotation tollgate.dev/sidecar-memory-limit must be above zero",
        "memory above the cap          | tollgate.dev/sidecar-memory-limit    | 4Gi                      | annotation tollgate.dev/sidecar-memory-limit asks 4Gi, above the 1Gi of memory this cluster allows the decision point of one pod (webhook --sidecar-max-memory, chart value sidecar.resourceOverrides.maxMemory)",
        "a request above the cap       | tollgate.dev/sidecar-memory-request  | 1025Mi                   | annotation tollgate.dev/sidecar-memory-request asks 1025Mi, above the 1Gi",
        "CPU above the cap, in milli   | tollgate.dev/sidecar-cpu-limit       | 2001m                    | annotation tollgate.dev/sidecar-cpu-limit asks 2001m, above the 2 of cpu this cluster allows",
        "a request above the limit     | tollgate.dev/sidecar-memory-request  | 512Mi                    | annotation tollgate.dev/sidecar-memory-request asks 512Mi, above the decision point's memory limit 160Mi: set tollgate.dev/sidecar-memory-limit too",
        "a CPU request above the limit | tollgate.dev/sidecar-cpu-request     | 1                        | annotation tollgate.dev/sidecar-cpu-request asks 1, above the decision point's cpu limit 500m",
        "a limit below the request     | tollgate.dev/sidecar-memory-limit    | 64Mi                     | annotation tollgate.dev/sidecar-memory-limit asks 64Mi, below the decision point's memory request 96Mi: set tollgate.dev/sidecar-memory-request too",
      })
  void unsafeOrMalformedAnnotationsRefuseThePod(
      String name, String annotation, String value, String message) throws Exception {
    AdmissionResponse response =
        PodInjectionControllerTest.admit(controller(), review(Map.of(annotation, value)));
    assertThat(response.getAllowed())
        .as("the pod is refused, not admitted with defaults")
        .isFalse();
    assertThat(response.getPatch()).isNull();
    assertThat(response.getStatus().getCode()).isEqualTo(403);
    assertThat(response.getStatus().getMessage())
        .startsWith("AgentIdentity agents/repo-coder selects this pod, and its annotation ")
        .contains(message);
  }

  @Test
  void aPodNoIdentitySelectsKeepsWhateverItsAnnotationsSay() throws Exception {
    ObjectNode review = review(Map.of("tollgate.dev/sidecar-jvm-options", "-javaagent:x.jar"));
    ((ObjectNode) review.at("/request/object/metadata/labels"))
        .put("app.kubernetes.io/name", "web");
    AdmissionResponse response = PodInjectionControllerTest.admit(controller(), review);
    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getPatch()).isNull();
  }

  @Test
  void injectingARefusedPodDirectlyFailsRatherThanFallingBackToDefaults() throws Exception {
    Pod pod =
        Serialization.unmarshal(
            PodInjectionControllerTest.review()
                .at("/request/object")
                .toString()
                .replace(
                    "\"annotations\":{",
                    "\"annotations\":{\"tollgate.dev/sidecar-memory-limit\":\"64Gi\","),
            Pod.class);
    SidecarInjection injection = new SidecarInjection(settings());
    assertThat(injection.refusal(pod)).isPresent();
    var identity =
        new StaticClusterState(Files.readString(WARMUP.resolve("cluster.yaml")))
            .identities("agents")
            .get(0);
    assertThatThrownBy(
            () ->
                injection.inject(
                    pod,
                    identity,
                    List.of(),
                    List.of(),
                    List.of(),
                    new Principal("bob", List.of()),
                    "",
                    "bob"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("asks 64Gi, above the 1Gi");
  }

  @Test
  void quantitiesAreComparedByAmountNotByText() {
    SidecarResources defaults = new SidecarResources("50m", "96Mi", "500m", "160Mi");
    assertThat(
            defaults
                .forPod(Map.of("tollgate.dev/sidecar-cpu-limit", "0.5"), "2", "1Gi")
                .resources())
        .hasValue(new SidecarResources("50m", "96Mi", "0.5", "160Mi"));
    assertThat(
            defaults
                .forPod(Map.of("tollgate.dev/sidecar-memory-limit", "1073741824"), "2", "1Gi")
                .refusal())
        .as("exactly the cap, in bytes")
        .isEmpty();
    assertThat(
            defaults
                .forPod(Map.of("tollgate.dev/sidecar-memory-limit", "1073741825"), "2", "1Gi")
                .refusal())
        .hasValueSatisfying(r -> assertThat(r).contains("above the 1Gi"));
    assertThat(defaults.forPod(Map.of("tollgate.dev/identity", "x/y"), "2", "1Gi").resources())
        .as("Tollgate's other annotations are not the decision point's")
        .hasValue(defaults);
  }
}
