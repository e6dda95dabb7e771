package dev.tollgate.sidecar.hookclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.bundle.BundleCodec;
import dev.tollgate.engine.bundle.BundleCompiler;
import dev.tollgate.engine.bundle.Compilation;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.Kind;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.ObjectRef;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.sidecar.Sidecar;
import dev.tollgate.sidecar.SidecarConfig;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.metrics.SidecarMetrics;
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

/** A real sidecar in-process on an ephemeral loopback port, enforcing a bundle compiled from YAML. */
final class LiveSidecar implements AutoCloseable {

  static final String POLICIES = """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: coder, namespace: team-a}
      spec:
        serviceAccountName: coder
        toolScopes: [{name: base}]
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: base, namespace: team-a}
      spec: {tools: [Read, Write, Bash]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolPolicy
      metadata: {name: coding, namespace: team-a}
      spec:
        agents: {names: [coder]}
        rules:
          - {name: files, tools: [Read, Write], effect: Allow, when: "resource.path.startsWith('/workspace/')"}
          - {name: shell, tools: [Bash], effect: Allow}
          - {name: no-rm, tools: [Bash], when: "resource.program == 'rm'", effect: Deny, message: "rm is not allowed"}
      """;

  final List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
  private final Sidecar sidecar;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  LiveSidecar(Path dir) throws Exception {
    Path bundleFile = dir.resolve("bundle.json");
    Files.writeString(bundleFile, BundleCodec.toJson(compile(POLICIES)));
    SidecarConfig config = SidecarConfig.from(Map.of(), new String[] {"--bundle", bundleFile.toString(),
        "--listen", "127.0.0.1:0", "--identity", "team-a/coder", "--pod", "agent-0", "--namespace", "team-a",
        "--events", "off", "--reload-interval-ms", "600000"});
    this.sidecar = new Sidecar(config, new SidecarMetrics(), events::add, event -> { }, Clock.systemUTC());
  }

  String url() {
    return "http://127.0.0.1:" + sidecar.port();
  }

  /** What the sidecar answers to the same input without the hook client: the client must print exactly this. */
  HttpResponse<String> postDirectly(String hookInput) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url() + "/v1/hooks/claude-code"))
        .POST(HttpRequest.BodyPublishers.ofString(hookInput))
        .header("Content-Type", "application/json")
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  static Bundle compile(String yaml) {
    List<ManifestLoader.Document> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    new ManifestLoader().readText(yaml, "test.yaml", documents, problems);
    assertThat(problems).isEmpty();
    Compilation compilation = new BundleCompiler()
        .compile(PolicySet.fromDocuments(documents, "default"), new ObjectRef(Kind.AGENT_IDENTITY, "team-a", "coder"));
    assertThat(compilation.problems()).isEmpty();
    return compilation.bundle().orElseThrow();
  }

  @Override
  public void close() {
    sidecar.close();
  }
}
