package dev.tollgate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * values.schema.json, as Helm applies it: the defaults and every values file of ci/ pass, every
 * value of values.yaml is typed and described, and a wrong type, an unknown key, a bad enum or a
 * malformed quantity, image or flag is refused by both {@code helm lint} and {@code helm template}
 * with an error naming the value.
 */
class ValuesSchemaTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Helm helm = new Helm(Helm.repoRoot());
  private final ChartRender render = new ChartRender(helm);

  private JsonNode schema() throws IOException {
    return JSON.readTree(helm.chart().resolve("values.schema.json").toFile());
  }

  @Test
  void isDraft07AndRefusesUnknownTopLevelKeys() throws IOException {
    JsonNode schema = schema();
    assertThat(schema.path("$schema").asText())
        .isEqualTo("http://json-schema.org/draft-07/schema#");
    assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
  }

  @Test
  void theDefaultsPassLintAndTemplate() throws Exception {
    String out = helm.runOk("lint", "--strict", helm.chart().toString());
    assertThat(out).contains("0 chart(s) failed").doesNotContain("[ERROR]");
    assertThat(render.template().all(Deployment.class)).hasSize(2);
  }

  static Stream<String> valuesFiles() {
    return ChartTest.VALUES_FILES.stream();
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void everyCiValuesFilePassesTheSchema(String valuesFile) throws Exception {
    Path file = helm.chart().resolve("ci/" + valuesFile + ".yaml");
    Helm.Result lint = helm.run("lint", "--strict", helm.chart().toString(), "-f", file.toString());
    assertThat(lint.stdout() + lint.stderr())
        .as(valuesFile)
        .doesNotContain("values don't meet the specifications")
        .contains("0 chart(s) failed");
  }

  /**
   * Every leaf of values.yaml has a schema with a type (or enum, const, oneOf) and a description,
   * found by following the schema's properties and $refs; every object on the way refuses unknown
   * keys, but for free-form Kubernetes objects.
   */
  @Test
  void everyValueIsTypedAndDescribed() throws IOException {
    JsonNode schema = schema();
    JsonNode values = Rendered.yamlMapper().readTree(helm.chart().resolve("values.yaml").toFile());
    List<String> problems = new ArrayList<>();
    check(schema, schema, values, "", problems);
    assertThat(problems).isEmpty();
  }

  private static void check(
      JsonNode root, JsonNode schema, JsonNode value, String path, List<String> problems) {
    JsonNode resolved = resolve(root, schema);
    if (!path.isEmpty() && !schema.has("description") && !resolved.has("description")) {
      problems.add(path + ": no description");
    }
    boolean typed = Stream.of("type", "enum", "const", "oneOf").anyMatch(resolved::has);
    if (!typed) {
      problems.add(path + ": no type");
    }
    if (!value.isObject()) {
      return;
    }
    JsonNode properties = resolved.path("properties");
    if (properties.isMissingNode()) {
      // A map of free-form entries (labels, resources, selectors): typed as an object is enough.
      return;
    }
    if (resolved.path("additionalProperties").asBoolean(true)) {
      problems.add(path + ": refuses no unknown key");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode child = properties.path(field.getKey());
      String childPath = path + "/" + field.getKey();
      if (child.isMissingNode()) {
        problems.add(childPath + ": not in the schema");
      } else {
        check(root, child, field.getValue(), childPath, problems);
      }
    }
  }

  private static JsonNode resolve(JsonNode root, JsonNode schema) {
    JsonNode current = schema;
    while (current.has("$ref")) {
      current = root.at(current.path("$ref").asText().substring(1));
    }
    return current;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a wrong type             | webhook.replicas=two                              | at '/webhook/replicas': got string, want integer",
        "an unknown key           | operator.replica=2                                | at '/operator': additional properties 'replica' not allowed",
        "an unknown section       | sidecars.jvmOptions={-Xmx64m}                     | at '': additional properties 'sidecars' not allowed",
        "a misspelt nested key    | sidecar.resources.limit.memory=1Gi                | at '/sidecar/resources': additional properties 'limit' not allowed",
        "a bad enum               | webhook.antiAffinity=always                       | at '/webhook/antiAffinity': value must be one of 'soft', 'hard', 'none'",
        "a bad native mode        | injection.nativeSidecars=sometimes                | at '/injection/nativeSidecars': value must be one of",
        "a bad pull policy        | images.sidecar.pullPolicy=Sometimes               | at '/images/sidecar/pullPolicy': value must be one of 'Always', 'IfNotPresent', 'Never'",
        "a bad quantity           | sidecar.resources.limits.memory=lots              | at '/sidecar/resources/limits/memory': 'lots' does not match pattern",
        "a unit Kubernetes lacks  | injection.git.mirrorSizeLimit=2GB                 | at '/injection/git/mirrorSizeLimit': '2GB' does not match pattern",
        "a missing sidecar value  | sidecar.resources.requests.cpu=null               | at '/sidecar/resources/requests': missing property 'cpu'",
        "an uppercase repository  | images.operator.repository=Registry/Tollgate      | at '/images/operator/repository': 'Registry/Tollgate' does not match pattern",
        "a tag with a slash       | images.webhook.tag=v1/evil                        | at '/images/webhook/tag': 'v1/evil' does not match pattern",
        "a short digest           | images.webhook.tag=sha256:abc                     | at '/images/webhook/tag': 'sha256:abc' does not match pattern",
        "two flags in one item    | sidecar.jvmOptions[0]=-Xmx64m -javaagent:/x.jar   | at '/sidecar/jvmOptions/0': '-Xmx64m -javaagent:/x.jar' does not match pattern",
        "a privileged port        | webhook.port=443                                  | at '/webhook/port': minimum: got 443, want 1,024",
        "a timeout above 30 s     | webhook.timeoutSeconds=31                         | at '/webhook/timeoutSeconds': maximum: got 31, want 30",
        "no webhook replica       | webhook.replicas=0                                | at '/webhook/replicas': minimum: got 0, want 1",
        "a bad retention          | operator.approvalRetentionSeconds=10              | at '/operator/approvalRetentionSeconds': minimum: got 10, want 60",
        "a relative agent home    | injection.agentHome=home/agent                    | at '/injection/agentHome': 'home/agent' does not match pattern",
        "a bad namespace          | watchNamespaces={Team_A}                          | at '/watchNamespaces/0': 'Team_A' does not match pattern",
        "a bad certificate period | certManager.duration=1 year                       | at '/certManager/duration': '1 year' does not match pattern",
        "a bad issuer kind        | certManager.issuerRef.kind=Vault                  | at '/certManager/issuerRef/kind': value must be one of 'Issuer', 'ClusterIssuer'",
        "a bad CIDR               | networkPolicy.apiServer.cidrs={10.0.0.1}          | at '/networkPolicy/apiServer/cidrs/0': '10.0.0.1' does not match pattern",
        "no API server port       | networkPolicy.apiServer.ports=null                | at '/networkPolicy/apiServer': missing property 'ports'",
        "a privileged operator    | operator.securityContext.privileged=true          | at '/operator/securityContext/privileged': value must be false",
        "a root operator          | operator.securityContext.runAsUser=0              | at '/operator/securityContext/runAsUser': minimum: got 0, want 1",
        "runAsNonRoot off         | webhook.podSecurityContext.runAsNonRoot=false     | at '/webhook/podSecurityContext/runAsNonRoot': value must be true",
        "runAsNonRoot removed     | webhook.securityContext.runAsNonRoot=null         | at '/webhook/securityContext': missing property 'runAsNonRoot'",
        "a writable root          | webhook.securityContext.readOnlyRootFilesystem=false | at '/webhook/securityContext/readOnlyRootFilesystem': value must be true",
        "privilege escalation     | webhook.securityContext.allowPrivilegeEscalation=true | at '/webhook/securityContext/allowPrivilegeEscalation': value must be false",
        "an added capability      | operator.securityContext.capabilities.add={NET_ADMIN} | at '/operator/securityContext/capabilities/add': maxItems: got 1, want 0",
        "ALL no longer dropped    | operator.securityContext.capabilities.drop={NET_RAW} | at '/operator/securityContext/capabilities/drop': no items match contains schema",
        "seccomp unconfined       | webhook.securityContext.seccompProfile.type=Unconfined | at '/webhook/securityContext/seccompProfile/type': value must be one of 'RuntimeDefault', 'Localhost'",
      })
  void aBadValueIsRefusedByLintAndTemplateNamingIt(String name, String set, String error)
      throws Exception {
    assertThat(render.templateFailure("--set", set))
        .contains("values don't meet the specifications of the schema")
        .contains(error);
    assertThat(render.lintFailure("--set", set)).contains(error);
  }

  @Test
  void aNumericTagFromAValuesFileIsRefusedRatherThanRoundedAsANumber(@TempDir Path dir)
      throws Exception {
    // YAML reads 1.10 as the number 1.1; as an image tag it would pull the wrong image.
    Path values = dir.resolve("values.yaml");
    Files.writeString(values, "images:\n  sidecar:\n    tag: 1.10\n", StandardCharsets.UTF_8);
    assertThat(render.templateFailure("-f", values.toString()))
        .contains("at '/images/sidecar/tag': got number, want string");
    Files.writeString(values, "images:\n  sidecar:\n    tag: \"1.10\"\n", StandardCharsets.UTF_8);
    assertThat(
            ChartRender.env(
                ChartRender.container(
                    render.template("-f", values.toString()), "tollgate-webhook")))
        .containsEntry("TOLLGATE_SIDECAR_IMAGE", "ghcr.io/tollgate-dev/tollgate-sidecar:1.10");
  }

  /** The audit export and monitoring sections are closed and typed like the rest. */
  @Test
  void theAuditExportAndMonitoringSectionsAreTyped() throws Exception {
    render.template(
        "--set", "sidecar.auditExport.endpoint=https://audit.example/v1/logs",
        "--set", "sidecar.auditExport.protocol=otlp",
        "--set", "monitoring.podMonitor.enabled=true",
        "--set-string", "monitoring.dashboard.labels.grafana_dashboard=1");
    assertThat(render.templateFailure("--set", "sidecar.auditExports.enabled=true"))
        .contains("at '/sidecar': additional properties 'auditExports' not allowed");
    assertThat(render.templateFailure("--set", "sidecar.auditExport.enabled=true"))
        .contains("at '/sidecar/auditExport': additional properties 'enabled' not allowed");
    assertThat(render.templateFailure("--set", "sidecar.auditExport.endpoint=audit.example"))
        .contains("/sidecar/auditExport/endpoint");
    assertThat(
            render.templateFailure(
                "--set", "sidecar.auditExport.endpoint=https://user:secret@audit.example"))
        .contains("/sidecar/auditExport/endpoint");
    assertThat(render.templateFailure("--set", "sidecar.auditExport.batchSize=0"))
        .contains("/sidecar/auditExport/batchSize");
    assertThat(render.templateFailure("--set", "sidecar.auditExport.headersSecret=Not_A_Name"))
        .contains("/sidecar/auditExport/headersSecret");
    assertThat(render.templateFailure("--set", "sidecar.auditExport.caBundle=not a certificate"))
        .contains("/sidecar/auditExport/caBundle");
    assertThat(render.templateFailure("--set", "monitoring.podMonitors.enabled=true"))
        .contains("at '/monitoring': additional properties 'podMonitors' not allowed");
    assertThat(render.templateFailure("--set", "monitoring.prometheusRule.approvalWaitSeconds=0"))
        .contains("/monitoring/prometheusRule/approvalWaitSeconds");
    assertThat(render.templateFailure("--set", "monitoring.podMonitor.interval=soon"))
        .contains("/monitoring/podMonitor/interval");
  }
}
