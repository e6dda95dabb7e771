package dev.tollgate.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.agenttests.model.ScriptedModel;
import dev.tollgate.agenttests.model.ToolCall;
import dev.tollgate.agenttests.model.ToolResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real Claude Code session whose Bash tool reaches the network only through the sidecar's
 * egress proxy, with the proxy variables the webhook puts into an agent container ({@code
 * EgressInjection.wire}). The identity's only egress destination is one loopback HTTP server; a
 * second one on another port is in no ToolScope. The scripted model asks for two {@code curl} calls
 * the shell policy allows, first to the server out of scope, then to the one in scope: the hook
 * lets both commands run, and the proxy decides each connection as tool {@code Egress}.
 *
 * <p>Both servers listen on {@value #DESTINATION_HOST}, not 127.0.0.1. The variables are the
 * webhook's, and its {@code NO_PROXY} lists {@code 127.0.0.1} (the pod's own loopback: the decision
 * point, and here also the scripted model that Claude Code must reach directly), so a client would
 * connect to a 127.0.0.1 destination directly and the proxy would never see it. No {@code NO_PROXY}
 * entry covers 127.0.0.2, so curl treats the destinations as any host outside the pod and goes
 * through the proxy. In a pod the rule installer ({@code tollgate-egress-init}) also makes the
 * direct path fail; no rules are installed here, so a client that skipped the proxy would reach the
 * denied server: the test asserts the proxy's decision, and fails (the denied server is reached) if
 * the proxy variables are taken away.
 */
class EgressSessionIT {

  /** A loopback address that no entry of the webhook's NO_PROXY covers. */
  private static final String DESTINATION_HOST = "127.0.0.2";

  /** The webhook's NO_PROXY ({@code EgressInjection.NO_PROXY}). */
  private static final String NO_PROXY = "localhost,127.0.0.1,::1";

  private static final String ALLOWED_BODY = "hello from the destination in scope";
  private static final String REFUSED_BODY = "the destination out of scope answered";
  private static final String CURL_DENIED = "toolu_01_curl_out_of_scope";
  private static final String CURL_ALLOWED = "toolu_02_curl_in_scope";
  private static final List<String> CALLS = List.of(CURL_DENIED, CURL_ALLOWED);

  @TempDir static Path root;
  private static Destination inScope;
  private static Destination outOfScope;
  private static ScriptedModel model;
  private static ClaudeCode.Run run;
  private static AuditTrail audit;
  private static List<JsonNode> egress;
  private static String sidecarLog;

  @BeforeAll
  static void playTheSession() throws Exception {
    inScope = Destination.start(200, ALLOWED_BODY);
    outOfScope = Destination.start(200, REFUSED_BODY);
    Path workspace = Files.createDirectories(root.resolve("workspace"));
    model =
        new ScriptedModel(
            List.of(
                ToolCall.of(
                    CURL_DENIED,
                    "Bash",
                    Map.of("command", curl(outOfScope), "description", "fetch")),
                ToolCall.of(
                    CURL_ALLOWED,
                    "Bash",
                    Map.of("command", curl(inScope), "description", "fetch"))));
    Path bundle = RepoCoderBundle.writeFromManifests(manifests(), root.resolve("bundle.json"));
    int egressPort = SidecarProcess.freePort();
    try (SidecarProcess sidecar =
        SidecarProcess.start(
            bundle,
            root,
            "/readyz",
            "--egress-listen",
            "127.0.0.1:" + egressPort,
            "--egress-mode",
            "enforce")) {
      sidecar.awaitLog("egress proxy on 127.0.0.1:" + egressPort, Duration.ofSeconds(10));
      Path settings = HookSettings.write(root.resolve("settings.json"), sidecar.url());
      run =
          ClaudeCode.run(
              workspace,
              root.resolve("home"),
              settings,
              model.baseUrl(),
              proxyVariables("http://127.0.0.1:" + egressPort));
      sidecar.stop(); // a barrier: every audit line of the session is on disk before it is read
      List<JsonNode> events = sidecar.audit();
      audit = new AuditTrail(events);
      egress = events.stream().filter(e -> e.path("source").asText().equals("egress")).toList();
      sidecarLog = sidecar.log();
    }
  }

  @AfterAll
  static void stopServers() {
    if (model != null) {
      model.close();
    }
    if (inScope != null) {
      inScope.close();
    }
    if (outOfScope != null) {
      outOfScope.close();
    }
  }

  /**
   * What {@code EgressInjection.wire} gives an agent container, with the proxy on this test's port
   * (Claude Code hands its environment to the Bash tool).
   */
  private static Map<String, String> proxyVariables(String proxyUrl) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : List.of("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy")) {
      env.put(name, proxyUrl);
    }
    env.put("NO_PROXY", NO_PROXY);
    env.put("no_proxy", NO_PROXY);
    env.put("NODE_USE_ENV_PROXY", "1");
    return env;
  }

  /** Prints the response body, then the status curl got. */
  private static String curl(Destination destination) {
    return "curl -sS --max-time 20 -w ' status=%{http_code}' http://"
        + DESTINATION_HOST
        + ":"
        + destination.port()
        + "/";
  }

  /**
   * repo-coder with a shell that may run curl and nothing else, and one egress destination: the
   * server in scope. The other server's port is in no ToolScope, so the proxy denies it
   * (OutOfScope) before any rule runs; the one Egress rule allows what is in scope.
   */
  private static String manifests() {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: repo-coder, namespace: agents}
        spec:
          serviceAccountName: repo-coder
          toolScopes: [{name: shell}, {name: network}]
          delegation: {required: true, allowedPrincipals: ["user:alice"]}
          egress: {mode: Enforce}
          mode: Enforce
          runtime: ClaudeCode
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: shell, namespace: agents}
        spec: {tools: [Bash]}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: network, namespace: agents}
        spec:
          egress:
            - {host: "%s", ports: [%d]}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: egress-session, namespace: agents}
        spec:
          agents: {names: [repo-coder]}
          rules:
            - name: curl-only
              tools: [Bash]
              when: >-
                size(resource.commands) > 0 && !resource.opaque &&
                resource.commands.all(c, c.name == 'curl')
              effect: Allow
            - name: destinations-in-scope
              tools: [Egress]
              effect: Allow
        """
        .formatted(DESTINATION_HOST, inScope.port());
  }

  @Test
  void theSessionPlayedTheWholeScriptAndEnded() {
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.result().path("subtype").asText()).as(run.describe()).isEqualTo("success");
    assertThat(model.servedCalls()).containsExactlyElementsOf(CALLS);
    assertThat(model.toolResults())
        .extracting(ToolResult::toolUseId)
        .containsExactlyElementsOf(CALLS);
    assertThat(model.unknownRequests()).isEmpty();
  }

  @Test
  void theHookAllowedBothCommands() {
    assertThat(run.permissionDenials()).as(run.describe()).isEmpty();
    for (String id : CALLS) {
      assertThat(audit.types(id))
          .as("%s\n%s", id, sidecarLog)
          .containsExactly("tool_call.attempted", "tool_call.allowed", "tool_call.executed");
      JsonNode allowed = audit.event(id, "tool_call.allowed");
      assertThat(allowed.path("tool").asText()).isEqualTo("Bash");
      assertThat(allowed.path("rules").toString()).contains("agents/egress-session/curl-only");
    }
  }

  @Test
  void onlyTheDestinationInScopeWasReached() {
    assertThat(outOfScope.requests()).as("requests to the server out of scope").isEmpty();
    assertThat(inScope.requests()).as("requests to the server in scope").hasSize(1);
  }

  @Test
  void theModelSawTheProxyRefuseTheDestinationOutOfScope() {
    ToolResult denied = model.resultFor(CURL_DENIED);
    assertThat(denied.content()).as("%s", denied).contains("status=403").contains("OutOfScope");
    assertThat(denied.content()).doesNotContain(REFUSED_BODY);
    ToolResult allowed = model.resultFor(CURL_ALLOWED);
    assertThat(allowed.isError()).as("%s", allowed).isFalse();
    assertThat(allowed.content()).as("%s", allowed).contains(ALLOWED_BODY + " status=200");
  }

  @Test
  void theProxyDecidedEachConnectionAsToolEgress() {
    Map<String, List<JsonNode>> byPort = egressConnectionsByPort();
    assertThat(byPort.keySet())
        .as("every connection through the proxy: %s", egress)
        .containsExactlyInAnyOrder(
            Integer.toString(outOfScope.port()), Integer.toString(inScope.port()));
    assertThat(egress).allMatch(e -> e.path("tool").asText().equals("Egress"));
    assertThat(egress)
        .allMatch(e -> e.path("resource").path("host").asText().equals(DESTINATION_HOST));

    List<JsonNode> refused = byPort.get(Integer.toString(outOfScope.port()));
    assertThat(types(refused)).containsExactly("tool_call.attempted", "tool_call.denied");
    JsonNode denied = refused.get(1);
    assertThat(denied.path("decision").asText()).isEqualTo("deny");
    assertThat(denied.path("reasons").toString()).contains("OutOfScope");
    assertThat(denied.path("principal").asText()).isEqualTo(RepoCoderBundle.PRINCIPAL);

    List<JsonNode> opened = byPort.get(Integer.toString(inScope.port()));
    assertThat(types(opened))
        .contains("tool_call.attempted", "tool_call.allowed")
        .doesNotContain("tool_call.denied")
        .endsWith("tool_call.closed");
    assertThat(types(opened).stream().filter("tool_call.closed"::equals)).hasSize(1);
    assertThat(opened)
        .filteredOn(e -> e.path("type").asText().equals("tool_call.allowed"))
        .allMatch(e -> e.path("rules").toString().contains("agents/egress-session/"));
    JsonNode traffic = opened.get(opened.size() - 1).path("traffic");
    assertThat(traffic.path("end").asText()).as("%s", traffic).isEqualTo("eof");
    assertThat(traffic.path("bytesSent").asLong()).as("%s", traffic).isPositive();
    assertThat(traffic.path("bytesReceived").asLong())
        .as("%s", traffic)
        .isGreaterThan(ALLOWED_BODY.length());
  }

  /** The egress audit lines grouped by correlation id (one per connection), keyed by port. */
  private static Map<String, List<JsonNode>> egressConnectionsByPort() {
    Map<String, List<JsonNode>> byConnection =
        egress.stream()
            .collect(
                Collectors.groupingBy(
                    e -> e.path("correlationId").asText(),
                    LinkedHashMap::new,
                    Collectors.toList()));
    Map<String, List<JsonNode>> byPort = new LinkedHashMap<>();
    byConnection
        .values()
        .forEach(
            events -> {
              String port = events.get(0).path("resource").path("port").asText();
              assertThat(byPort.put(port, events))
                  .as("one connection to port %s: %s", port, egress)
                  .isNull();
            });
    return byPort;
  }

  private static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.path("type").asText()).toList();
  }

  /** A plain HTTP server on {@value #DESTINATION_HOST} that records each request it receives. */
  private record Destination(HttpServer server, List<String> requests) implements AutoCloseable {

    static Destination start(int status, String body) throws IOException {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName(DESTINATION_HOST), 0), 0);
      List<String> requests = Collections.synchronizedList(new ArrayList<>());
      server.createContext(
          "/",
          exchange -> {
            try (exchange) {
              requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
              byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(status, bytes.length);
              exchange.getResponseBody().write(bytes);
            }
          });
      server.start();
      return new Destination(server, requests);
    }

    int port() {
      return server.getAddress().getPort();
    }

    @Override
    public List<String> requests() {
      synchronized (requests) {
        return List.copyOf(requests);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
