package dev.tollgate.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.tollgate.engine.bundle.BundleCodec;
import dev.tollgate.engine.bundle.BundleCompiler;
import dev.tollgate.engine.bundle.Compilation;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.Kind;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.ObjectRef;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.sidecar.approval.ApprovalBroker;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.AuditSink;
import dev.tollgate.sidecar.audit.JsonLinesAuditSink;
import dev.tollgate.sidecar.gate.egress.EgressResolver;
import dev.tollgate.sidecar.metrics.SidecarMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real sidecar on an ephemeral loopback port, with a bundle compiled from YAML by the engine and
 * an audit sink that keeps every event and checks it against the published JSON Schema.
 */
public final class SidecarFixture implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  static final String POLICIES =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: coder, namespace: team-a}
      spec:
        serviceAccountName: coder
        mode: MODE
        toolScopes: [{name: base}]
        approval: {defaultApprovers: ["user:lead"]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: base, namespace: team-a}
      spec: {tools: [Read, Edit, Bash, WebFetch]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolPolicy
      metadata: {name: coding, namespace: team-a}
      spec:
        agents: {names: [coder]}
        rules:
          - {name: read, tools: [Read], effect: Allow, when: "resource.path.startsWith('/workspace/')"}
          - {name: shell, tools: [Bash], effect: Allow}
          - {name: no-rm, tools: [Bash], when: "resource.program == 'rm'", effect: Deny, message: "rm is not allowed"}
          - {name: push, tools: [Bash], when: "resource.command.startsWith('git push')", effect: RequireApproval, message: "pushes need approval"}
      """;

  private static final JsonSchema AUDIT_SCHEMA = loadSchema();

  final Path dir;
  final Path bundleFile;
  public final List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
  private final List<String> schemaViolations = Collections.synchronizedList(new ArrayList<>());
  final SidecarMetrics metrics = new SidecarMetrics();
  final Sidecar sidecar;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private SidecarFixture(Path bundleFile, String bundleJson, String... extraArgs)
      throws IOException, ConfigException {
    this(bundleFile, bundleJson, null, extraArgs);
  }

  private SidecarFixture(
      Path bundleFile, String bundleJson, ApprovalBroker approvals, String... extraArgs)
      throws IOException, ConfigException {
    this(bundleFile, bundleJson, approvals, EgressResolver.SYSTEM, extraArgs);
  }

  private SidecarFixture(
      Path bundleFile,
      String bundleJson,
      ApprovalBroker approvals,
      EgressResolver resolver,
      String... extraArgs)
      throws IOException, ConfigException {
    this.dir = bundleFile.getParent();
    this.bundleFile = bundleFile;
    if (bundleJson != null) {
      Files.writeString(bundleFile, bundleJson);
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bundle",
                bundleFile.toString(),
                "--listen",
                "127.0.0.1:0",
                "--reload-interval-ms",
                "600000",
                "--pod",
                "agent-0",
                "--namespace",
                "team-a",
                "--events",
                "off"));
    args.addAll(List.of(extraArgs));
    SidecarConfig config = SidecarConfig.from(Map.of(), args.toArray(String[]::new));
    AuditSink sink =
        event -> {
          schemaViolations.addAll(schemaViolations(event));
          events.add(event);
        };
    this.sidecar =
        new Sidecar(config, metrics, sink, event -> {}, Clock.systemUTC(), approvals, resolver);
  }

  /** A sidecar whose approval-required calls wait on this broker. */
  public static SidecarFixture startWithApprovals(
      Path dir, String policies, ApprovalBroker approvals, String... extraArgs) throws Exception {
    return new SidecarFixture(dir.resolve("bundle.json"), bundle(policies), approvals, extraArgs);
  }

  static SidecarFixture start(Path dir, String mode, String... extraArgs) throws Exception {
    return new SidecarFixture(
        dir.resolve("bundle.json"), bundle(POLICIES.replace("MODE", mode)), extraArgs);
  }

  /** A sidecar whose --bundle is a path the test prepared (a ConfigMap-like mount). */
  static SidecarFixture startAt(Path bundleFile) throws Exception {
    return new SidecarFixture(bundleFile, null);
  }

  /** A sidecar enforcing the bundle of {@code team-a/coder} compiled from other policies. */
  public static SidecarFixture startWith(Path dir, String policies, String... extraArgs)
      throws Exception {
    return new SidecarFixture(dir.resolve("bundle.json"), bundle(policies), extraArgs);
  }

  /** A sidecar whose egress gate resolves names with {@code resolver}. */
  public static SidecarFixture startWithResolver(
      Path dir, String policies, EgressResolver resolver, String... extraArgs) throws Exception {
    return new SidecarFixture(
        dir.resolve("bundle.json"), bundle(policies), null, resolver, extraArgs);
  }

  /**
   * A sidecar on a bundle document the test built itself (compiled, then edited: a git remote's URL
   * pointed at a loopback upstream the CRD validation would refuse); approvals may be null.
   */
  public static SidecarFixture startWithBundle(
      Path dir, String bundleJson, ApprovalBroker approvals, String... extraArgs) throws Exception {
    return new SidecarFixture(dir.resolve("bundle.json"), bundleJson, approvals, extraArgs);
  }

  /** The metrics the sidecar records into. */
  public SidecarMetrics metrics() {
    return metrics;
  }

  /** The running sidecar. */
  public Sidecar sidecar() {
    return sidecar;
  }

  /** The audit events so far, in order. */
  public List<AuditEvent> auditEvents() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  static SidecarFixture startWithoutBundle(Path dir) throws Exception {
    return new SidecarFixture(dir.resolve("bundle.json"), null);
  }

  /** The canonical bundle JSON for identity team-a/coder compiled from YAML. */
  public static String bundle(String yaml) {
    return bundle(yaml, "coder");
  }

  /** The canonical bundle JSON for identity team-a/{@code identity} compiled from YAML. */
  static String bundle(String yaml, String identity) {
    List<ManifestLoader.Document> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    new ManifestLoader().readText(yaml, "test.yaml", documents, problems);
    assertThat(problems).isEmpty();
    Compilation compilation =
        new BundleCompiler()
            .compile(
                PolicySet.fromDocuments(documents, "default"),
                new ObjectRef(Kind.AGENT_IDENTITY, "team-a", identity));
    assertThat(compilation.problems()).isEmpty();
    return BundleCodec.toJson(compilation.bundle().orElseThrow());
  }

  static String preToolUse(String tool, String inputJson, String toolUseId) {
    return """
        {"session_id":"s-1","transcript_path":"/tmp/t.jsonl","cwd":"/workspace","permission_mode":"default",
         "hook_event_name":"PreToolUse","tool_name":"%s","tool_input":%s,"tool_use_id":"%s","prompt_id":"p1"}
        """
        .formatted(tool, inputJson, toolUseId);
  }

  public String url() {
    return "http://127.0.0.1:" + sidecar.port();
  }

  public HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode postJson(String path, String body) throws Exception {
    return JSON.readTree(post(path, body).body());
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + sidecar.port() + path);
  }

  List<AuditEvent> eventsFor(String correlationId) {
    synchronized (events) {
      return events.stream().filter(e -> correlationId.equals(e.correlationId())).toList();
    }
  }

  /** Stops the sidecar, then fails if any audit line broke the published schema. */
  @Override
  public void close() {
    sidecar.close();
    assertThat(schemaViolations).as("audit lines that break audit-event-v1.schema.json").isEmpty();
  }

  private static List<String> schemaViolations(AuditEvent event) {
    try {
      JsonNode line = JSON.readTree(JsonLinesAuditSink.toJson(event));
      Set<ValidationMessage> errors = AUDIT_SCHEMA.validate(line);
      return errors.stream().map(error -> error.getMessage() + " in " + line).toList();
    } catch (IOException e) {
      return List.of("unserializable event " + event + ": " + e);
    }
  }

  private static JsonSchema loadSchema() {
    try (InputStream in =
        SidecarFixture.class.getResourceAsStream("/schemas/audit-event-v1.schema.json")) {
      SchemaValidatorsConfig config =
          SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
