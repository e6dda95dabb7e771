package dev.tollgate.webhook.injection;

import static dev.tollgate.webhook.injection.PodInjectionControllerTest.admit;
import static dev.tollgate.webhook.injection.PodInjectionControllerTest.patchOf;
import static dev.tollgate.webhook.injection.PodInjectionControllerTest.review;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.webhook.delegation.TestDelegation;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code AgentIdentity.spec.egress.mode} at admission: golden pods for Enforce and Audit (Off is
 * the existing golden pod), the cluster-wide off switch, the rule installer's place and privileges,
 * the proxy variables, and the refusals that keep the uid-based rules sound.
 */
class EgressInjectionTest {

  private static final Path FIXTURES = Path.of("src/test/resources/injection");
  private static final Path WARMUP = Path.of("src/main/resources/warmup");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final boolean UPDATE = Boolean.getBoolean("tollgate.updateGolden");
  private static final String PROXY = "http://127.0.0.1:9442";

  static InjectionSettings settings(boolean nativeSidecars, boolean egressInit) {
    InjectionSettings base = PodInjectionControllerTest.settings(nativeSidecars);
    return new InjectionSettings(
        base.sidecarImage(),
        base.imagePullPolicy(),
        base.installerCommand(),
        base.jvmOptions(),
        base.cpuRequest(),
        base.memoryRequest(),
        base.cpuLimit(),
        base.memoryLimit(),
        base.nativeSidecars(),
        base.agentHome(),
        base.sidecarUser(),
        base.delegationKeys(),
        List.of(
            "java",
            "-cp",
            "/app/tollgate-sidecar.jar",
            "dev.tollgate.sidecar.install.EgressRuleInstaller"),
        egressInit,
        base.gitMirrorSizeLimit(),
        base.maxCpu(),
        base.maxMemory(),
        AuditExportInjection.NONE);
  }

  static PodInjectionController controller(String mode, boolean nativeSidecars, boolean egressInit)
      throws Exception {
    String cluster = Files.readString(WARMUP.resolve("cluster.yaml"));
    String withEgress =
        mode.isEmpty()
            ? cluster
            : cluster.replace(
                "  serviceAccountName: repo-coder\n",
                "  serviceAccountName: repo-coder\n  egress: {mode: " + mode + "}\n");
    assertThat(withEgress.contains("egress")).isEqualTo(!mode.isEmpty());
    return new PodInjectionController(
        new StaticClusterState(withEgress),
        new SidecarInjection(settings(nativeSidecars, egressInit)),
        TestDelegation.check(),
        Set.of("kube-system", "tollgate-system"));
  }

  private static JsonNode inject(PodInjectionController controller, ObjectNode review)
      throws Exception {
    AdmissionResponse response = admit(controller, review);
    assertThat(response.getAllowed()).as(String.valueOf(response.getStatus())).isTrue();
    return JsonPatch.apply(patchOf(response), review.at("/request/object"));
  }

  @ParameterizedTest(name = "{0}, native sidecars: {1}")
  @CsvSource({
    "Enforce, true,  pod-injected-egress-enforce.yaml",
    "Enforce, false, pod-injected-egress-enforce-plain-container.yaml",
    "Audit,   true,  pod-injected-egress-audit.yaml",
    "Off,     true,  pod-injected-native.yaml",
    "Off,     false, pod-injected-plain-container.yaml",
  })
  void injectsAsTheGoldenPodAndInjectingTwiceEqualsOnce(
      String mode, boolean nativeSidecars, String golden) throws Exception {
    PodInjectionController controller = controller(mode, nativeSidecars, true);
    ObjectNode review = review();
    JsonNode injected = inject(controller, review);

    Path expected = FIXTURES.resolve(golden);
    String actual = YAML.writeValueAsString(injected);
    if (UPDATE && mode.equals("Off")) {
      // Off is the pod without egress: the plain golden pods, which PodInjectionControllerTest
      // owns.
      assertThat(actual).isEqualTo(Files.readString(expected));
    } else if (UPDATE) {
      Files.writeString(expected, actual);
    }
    assertThat(actual).isEqualTo(Files.readString(expected));

    ((ObjectNode) review.get("request")).set("object", injected);
    AdmissionResponse again = admit(controller, review);
    assertThat(again.getAllowed()).isTrue();
    assertThat(again.getPatch()).as("injection is idempotent").isNull();
  }

  @Test
  void theOffSwitchLeavesEnforceWithTheProxyVariablesAlone() throws Exception {
    String switchedOff =
        YAML.writeValueAsString(inject(controller("Enforce", true, false), review()));
    // The Audit pod, but the proxy still refuses what Enforce refuses.
    assertThat(switchedOff)
        .isEqualTo(
            Files.readString(FIXTURES.resolve("pod-injected-egress-audit.yaml"))
                .replace(
                    "name: \"TOLLGATE_EGRESS_MODE\"\n      value: \"audit\"",
                    "name: \"TOLLGATE_EGRESS_MODE\"\n      value: \"enforce\""))
        .doesNotContain(EgressInjection.INIT);
  }

  @Test
  void enforceWithoutTheRuleInstallerWarnsWhoeverCreatesThePod() throws Exception {
    assertThat(admit(controller("Enforce", true, false), review()).getWarnings())
        .singleElement(STRING)
        .contains("egress mode Enforce")
        .contains("--egress-init false")
        .contains("advisory");
    assertThat(admit(controller("Enforce", true, true), review()).getWarnings()).isNullOrEmpty();
    assertThat(admit(controller("Audit", true, false), review()).getWarnings()).isNullOrEmpty();
  }

  @Test
  void anIdentityWithoutEgressGetsNoProxy() throws Exception {
    String injected = inject(controller("", true, true), review()).toString();
    assertThat(injected).doesNotContain("PROXY").doesNotContain(EgressInjection.INIT);
  }

  @ParameterizedTest(name = "native sidecars: {0}")
  @ValueSource(booleans = {true, false})
  void theRuleInstallerRunsFirstAsRootWithNetAdminAndNothingElse(boolean nativeSidecars)
      throws Exception {
    ObjectNode review = review();
    set(
        review,
        "/request/object/spec/initContainers",
        JSON.readTree(
            "[{\"name\":\"setup\",\"image\":\"busybox\",\"securityContext\":{\"runAsUser\":1000}}]"));
    JsonNode pod = inject(controller("Enforce", nativeSidecars, true), review);
    List<String> names = new ArrayList<>();
    pod.at("/spec/initContainers").forEach(c -> names.add(c.path("name").asText()));
    assertThat(names)
        .containsExactlyElementsOf(
            nativeSidecars
                ? List.of("tollgate-egress-init", "tollgate-install", "tollgate-sidecar", "setup")
                : List.of("tollgate-egress-init", "tollgate-install", "setup"));
    JsonNode init = pod.at("/spec/initContainers/0");
    assertThat(init.path("image").asText()).isEqualTo("registry.example/tollgate-sidecar:0.1.0");
    assertThat(init.path("command").toString())
        .endsWith("\"dev.tollgate.sidecar.install.EgressRuleInstaller\",\"65100\"]");
    assertThat(init.has("restartPolicy")).isFalse();
    JsonNode security = init.path("securityContext");
    assertThat(security.path("runAsUser").asLong(-1)).isZero();
    assertThat(security.path("runAsNonRoot").asBoolean(true)).isFalse();
    assertThat(security.path("privileged").asBoolean(true)).isFalse();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(security.path("readOnlyRootFilesystem").asBoolean(false)).isTrue();
    assertThat(security.at("/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
    assertThat(security.at("/capabilities/add").toString())
        .isEqualTo("[\"NET_ADMIN\",\"NET_RAW\"]");
    assertThat(init.path("volumeMounts").toString())
        .isEqualTo(
            "[{\"mountPath\":\"/tmp\",\"name\":\"tollgate-egress-tmp\",\"readOnly\":false}]");
    assertThat(pod.at("/spec/initContainers/" + (names.size() - 1) + "/env").toString())
        .as("a user init container uses the proxy too")
        .contains("{\"name\":\"HTTPS_PROXY\",\"value\":\"" + PROXY + "\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Enforce", "Audit"})
  void everyAgentContainerGetsTheProxyInEverySpelling(String mode) throws Exception {
    JsonNode env = inject(controller(mode, true, true), review()).at("/spec/containers/0/env");
    for (String name : List.of("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy")) {
      assertThat(value(env, name)).as(name).isEqualTo(PROXY);
    }
    assertThat(value(env, "NO_PROXY")).isEqualTo("localhost,127.0.0.1,::1");
    assertThat(value(env, "no_proxy")).isEqualTo("localhost,127.0.0.1,::1");
    assertThat(value(env, "NODE_USE_ENV_PROXY")).isEqualTo("1");
    assertThat(value(env, "JAVA_TOOL_OPTIONS"))
        .isEqualTo(
            "-Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=9442 -Dhttp.proxyHost=127.0.0.1"
                + " -Dhttp.proxyPort=9442 -Dhttp.nonProxyHosts=localhost|127.0.0.1");
  }

  @Test
  void theAgentsOwnJavaToolOptionsAreKept() throws Exception {
    ObjectNode review = review();
    ArrayNode env = (ArrayNode) review.at("/request/object/spec/containers/0/env");
    env.add(
        JSON.readTree(
            "{\"name\":\"JAVA_TOOL_OPTIONS\",\"value\":\"-Xmx1g -Dhttps.proxyHost=evil.example\"}"));
    env.add(JSON.readTree("{\"name\":\"HTTPS_PROXY\",\"value\":\"http://evil.example:3128\"}"));
    PodInjectionController controller = controller("Enforce", true, true);
    JsonNode injected = inject(controller, review);
    JsonNode agentEnv = injected.at("/spec/containers/0/env");
    assertThat(value(agentEnv, "JAVA_TOOL_OPTIONS"))
        .as("its own options kept, its own proxy replaced")
        .isEqualTo(
            "-Xmx1g -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=9442 -Dhttp.proxyHost=127.0.0.1"
                + " -Dhttp.proxyPort=9442 -Dhttp.nonProxyHosts=localhost|127.0.0.1");
    assertThat(value(agentEnv, "HTTPS_PROXY")).isEqualTo(PROXY);
    ((ObjectNode) review.get("request")).set("object", injected);
    assertThat(admit(controller, review).getPatch()).isNull();
  }

  @Test
  void javaToolOptionsFromAConfigMapAreKeptThroughTheKubeletsExpansion() throws Exception {
    ObjectNode review = review();
    ((ArrayNode) review.at("/request/object/spec/containers/0/env"))
        .add(
            JSON.readTree(
                "{\"name\":\"JAVA_TOOL_OPTIONS\",\"valueFrom\":{\"configMapKeyRef\":"
                    + "{\"name\":\"jvm\",\"key\":\"options\"}}}"));
    PodInjectionController controller = controller("Audit", true, true);
    JsonNode injected = inject(controller, review);
    JsonNode env = injected.at("/spec/containers/0/env");
    List<String> names = new ArrayList<>();
    env.forEach(e -> names.add(e.path("name").asText()));
    assertThat(names.indexOf("TOLLGATE_ORIGINAL_JAVA_TOOL_OPTIONS"))
        .as("defined before the variable that refers to it")
        .isLessThan(names.indexOf("JAVA_TOOL_OPTIONS"));
    assertThat(value(env, "JAVA_TOOL_OPTIONS"))
        .startsWith("$(TOLLGATE_ORIGINAL_JAVA_TOOL_OPTIONS) -Dhttps.proxyHost=127.0.0.1");
    ((ObjectNode) review.get("request")).set("object", injected);
    assertThat(admit(controller, review).getPatch()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "host network                 | /request/object/spec/hostNetwork | true | agent pods may not use hostNetwork",
        "the sidecar's user           | /request/object/spec/containers/0/securityContext | {\"runAsUser\":65100} | container claude runs as user 65100, the decision point's own",
        "NET_ADMIN                    | /request/object/spec/containers/0/securityContext | {\"capabilities\":{\"add\":[\"NET_ADMIN\"]}} | container claude adds capabilities [NET_ADMIN]",
        "NET_RAW                      | /request/object/spec/containers/0/securityContext | {\"capabilities\":{\"add\":[\"NET_RAW\"]}} | container claude adds capabilities [NET_RAW]",
        "privileged                   | /request/object/spec/containers/0/securityContext | {\"privileged\":true} | container claude is privileged",
        "root                         | /request/object/spec/containers/0/securityContext | {\"runAsUser\":0} | container claude runs as root",
        "an init container as sidecar | /request/object/spec/initContainers | [{\"name\":\"net\",\"image\":\"x\",\"securityContext\":{\"runAsUser\":65100}}] | container net runs as user 65100",
      })
  void podsThatWouldDefeatTheRulesAreStillRefused(
      String name, String pointer, String value, String message) throws Exception {
    for (String mode : List.of("Enforce", "Audit")) {
      ObjectNode review = review();
      set(review, pointer, JSON.readTree(value));
      AdmissionResponse response = admit(controller(mode, true, true), review);
      assertThat(response.getAllowed()).as(mode).isFalse();
      assertThat(response.getStatus().getMessage()).as(mode).contains(message);
    }
  }

  @ParameterizedTest(name = "{0} in {1}")
  @CsvSource({
    "tollgate-egress-init, containers",
    "tollgate-egress-init, initContainers",
    "tollgate-install, containers",
    "tollgate-sidecar, containers",
  })
  void aContainerUnderATollgateNameIsReplacedNeverKept(String name, String list) throws Exception {
    // The lockdown leaves Tollgate's names alone, so whatever the pod put under them must go.
    for (String mode : List.of("Enforce", "Off")) {
      ObjectNode review = review();
      ((ArrayNode) review.withArray("/request/object/spec/" + list))
          .add(
              JSON.readTree(
                  "{\"name\":\""
                      + name
                      + "\",\"image\":\"evil\",\"securityContext\":{\"runAsUser\":0,"
                      + "\"privileged\":true,\"capabilities\":{\"add\":[\"NET_ADMIN\"]}}}"));
      JsonNode pod = inject(controller(mode, true, true), review);
      assertThat(pod.toString())
          .as(mode)
          .doesNotContain("evil")
          .doesNotContain("\"privileged\":true");
    }
  }

  private static String value(JsonNode env, String name) {
    for (JsonNode variable : env) {
      if (variable.path("name").asText().equals(name)) {
        return variable.path("value").asText();
      }
    }
    throw new AssertionError(name + " not in " + env);
  }

  private static void set(ObjectNode root, String pointer, JsonNode value) {
    int slash = pointer.lastIndexOf('/');
    ((ObjectNode) root.at(pointer.substring(0, slash))).set(pointer.substring(slash + 1), value);
  }
}
