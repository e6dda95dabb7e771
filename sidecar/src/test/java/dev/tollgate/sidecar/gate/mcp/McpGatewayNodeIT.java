package dev.tollgate.sidecar.gate.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tollgate.sidecar.SidecarFixture;
import dev.tollgate.sidecar.audit.AuditEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MCP gateway between real MCP software it did not write: the official TypeScript SDK's
 * Streamable HTTP server as the upstream and its client as the agent (both session-based
 * generations, JSON and SSE answers, a stateless upstream), and raw HTTP for what the SDK client
 * does not send (2025-03-26 batches, 2026-07-28 requests). The upstream's own request log proves
 * what reached it.
 */
@Timeout(120)
class McpGatewayNodeIT {

  static final String TOKEN = "it-upstream-token-7f3a";

  static final String POLICIES =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: coder, namespace: team-a}
      spec: {serviceAccountName: coder, toolScopes: [{name: base}]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: base, namespace: team-a}
      spec:
        tools: [Read]
        mcpServers:
          - name: gh
            url: URL
            tools: [read_file, echo, delete_repo, fail, slow, toggle]
            credentialsSecretRef: {name: gh-token, key: token}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolPolicy
      metadata: {name: mcp, namespace: team-a}
      spec:
        agents: {names: [coder]}
        rules:
          - name: read-only-tools
            tools: ["mcp__gh__*"]
            when: "has(resource.annotations.readOnlyHint) && resource.annotations.readOnlyHint == true"
            effect: Allow
          - name: echo-unless-forbidden
            tools: [mcp__gh__echo]
            when: "has(args.text) && !args.text.contains('forbidden')"
            effect: Allow
          - name: nothing-destructive
            tools: ["mcp__gh__*"]
            when: "has(resource.annotations.destructiveHint) && resource.annotations.destructiveHint"
            effect: Deny
            message: destructive tools are not for agents
      """;

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private SidecarFixture sidecar(String upstreamUrl, String... extraArgs) throws Exception {
    Path credentials = dir.resolve("credentials");
    Files.createDirectories(credentials.resolve("gh"));
    Files.writeString(credentials.resolve("gh/token"), TOKEN + "\n");
    String[] args = new String[extraArgs.length + 2];
    args[0] = "--mcp-credentials-dir";
    args[1] = credentials.toString();
    System.arraycopy(extraArgs, 0, args, 2, extraArgs.length);
    return SidecarFixture.startWith(dir, POLICIES.replace("URL", upstreamUrl), args);
  }

  private static final String SCRIPT =
      """
      [{"op":"list"},
       {"op":"call","name":"echo","args":{"text":"hello"}},
       {"op":"call","name":"echo","args":{"text":"forbidden words"}},
       {"op":"call","name":"delete_repo","args":{"repo":"prod"}},
       {"op":"call","name":"admin_panel","args":{}},
       {"op":"call","name":"no_such_tool","args":{}},
       {"op":"call","name":"read_file","args":{"path":"/etc/hosts"}},
       {"op":"call","name":"fail","args":{}},
       {"op":"call","name":"toggle","args":{}},
       {"op":"waitListChanged","ms":5000},
       {"op":"terminate"}]
      """;

  @ParameterizedTest(name = "upstream {0}")
  @ValueSource(strings = {"--json", "--sse", "--stateless"})
  void theSdkClientSeesOnlyWhatPolicyAllowsAndDeniedCallsNeverArrive(String mode) throws Exception {
    String[] flags =
        switch (mode) {
          case "--json" -> new String[] {"--json"};
          case "--stateless" -> new String[] {"--stateless", "--json"};
          default -> new String[0];
        };
    try (NodeMcp.Upstream upstream = NodeMcp.upstream(dir, TOKEN, flags);
        SidecarFixture sidecar = sidecar(upstream.url())) {
      JsonNode out = NodeMcp.client(sidecar.url() + "/mcp/gh", SCRIPT);
      assertThat(out.has("connectError")).as(out.toString()).isFalse();
      assertThat(out.path("version").asText()).isEqualTo("2025-11-25");
      JsonNode results = out.get("results");

      // tools/list across 4 pages of 2: admin_panel is out of scope, delete_repo certainly denied.
      assertThat(results.get(0).path("pages").asInt()).isEqualTo(4);
      assertThat(names(results.get(0).path("tools")))
          .containsExactly("read_file", "echo", "fail", "slow", "toggle");
      assertThat(
              results
                  .get(0)
                  .path("tools")
                  .get(0)
                  .path("annotations")
                  .path("readOnlyHint")
                  .asBoolean())
          .isTrue();

      assertThat(text(results.get(1))).isEqualTo("hello");
      assertThat(results.get(2).path("error").path("code").asInt()).isEqualTo(-32602);
      assertThat(results.get(2).path("error").path("message").asText())
          .contains("Tool call denied by Tollgate")
          .contains("NoRuleAllows");
      // Hidden, out of scope and nonexistent tools: one answer shape, nothing to probe.
      assertThat(results.get(3).path("error").path("message").asText())
          .endsWith("Unknown tool: delete_repo");
      assertThat(results.get(4).path("error").path("message").asText())
          .endsWith("Unknown tool: admin_panel");
      assertThat(results.get(5).path("error").path("message").asText())
          .endsWith("Unknown tool: no_such_tool");
      assertThat(results.get(3).path("error").path("code").asInt()).isEqualTo(-32602);
      assertThat(text(results.get(6))).isEqualTo("contents of /etc/hosts");
      assertThat(results.get(7).path("isError").asBoolean()).isTrue();
      assertThat(text(results.get(8))).isEqualTo("toggled");
      if (!mode.equals("--stateless")) {
        // list_changed reaches the agent on the session's GET stream, through the gateway.
        assertThat(results.get(9).path("listChanged").asInt()).isGreaterThanOrEqualTo(1);
      }

      // The upstream's own log: every request carried the sidecar's credential; denied calls never
      // came.
      List<JsonNode> requests = upstream.requests();
      assertThat(requests)
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.path("auth").asBoolean()).as(r.toString()).isTrue());
      assertThat(upstream.calledTools()).containsExactly("echo", "read_file", "fail", "toggle");
      assertThat(requests.toString()).doesNotContain("forbidden");

      // Audit: decisions and outcomes, correlated by the JSON-RPC id.
      List<AuditEvent> events = List.copyOf(sidecar.events);
      assertThat(events).allSatisfy(e -> assertThat(e.source()).isEqualTo("mcp"));
      assertThat(types(events, "mcp__gh__echo"))
          .containsExactly(
              "tool_call.attempted",
              "tool_call.allowed",
              "tool_call.executed",
              "tool_call.attempted",
              "tool_call.denied");
      assertThat(types(events, "mcp__gh__delete_repo"))
          .containsExactly("tool_call.attempted", "tool_call.denied");
      assertThat(types(events, "mcp__gh__fail"))
          .containsExactly("tool_call.attempted", "tool_call.allowed", "tool_call.failed");
      AuditEvent readAllowed =
          events.stream()
              .filter(
                  e ->
                      "mcp__gh__read_file".equals(e.tool())
                          && e.type().wireName().equals("tool_call.allowed"))
              .findFirst()
              .orElseThrow();
      assertThat(readAllowed.rules()).containsExactly("team-a/mcp/read-only-tools");
      assertThat(readAllowed.resource()).containsEntry("type", "mcp").containsKey("annotations");
      assertThat(readAllowed.correlationId()).matches("[0-9]+");
      assertThat(events.toString()).doesNotContain(TOKEN);
    }
  }

  @ParameterizedTest(name = "upstream {0}")
  @ValueSource(strings = {"--json", "--sse"})
  void batchesOf2025_03_26AreDecidedElementByElement(String mode) throws Exception {
    try (NodeMcp.Upstream upstream =
            mode.equals("--json")
                ? NodeMcp.upstream(dir, TOKEN, "--json")
                : NodeMcp.upstream(dir, TOKEN);
        SidecarFixture sidecar = sidecar(upstream.url())) {
      String url = sidecar.url() + "/mcp/gh";
      HttpResponse<String> init =
          post(
              url,
              null,
              null,
              """
          {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},
           "clientInfo":{"name":"raw","version":"1"}}}""");
      assertThat(init.statusCode()).isEqualTo(200);
      assertThat(lastMessage(init.body()).path("result").path("protocolVersion").asText())
          .isEqualTo("2025-03-26");
      String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
      assertThat(
              post(
                      url,
                      session,
                      null,
                      "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                  .statusCode())
          .isEqualTo(202);

      HttpResponse<String> batch =
          post(
              url,
              session,
              null,
              """
          [{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"one"}}},
           {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"delete_repo","arguments":{"repo":"x"}}},
           {"jsonrpc":"2.0","id":3,"method":"tools/list"},
           {"jsonrpc":"2.0","id":4,"method":"Resources/List"},
           {"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo","arguments":"not an object"}}]""");
      assertThat(batch.statusCode()).isEqualTo(200);
      JsonNode answers = allMessages(batch.body());
      assertThat(answers.isArray()).isTrue();
      assertThat(answers).hasSize(5);
      assertThat(byId(answers, 1).path("result").path("content").get(0).path("text").asText())
          .isEqualTo("one");
      assertThat(byId(answers, 2).path("error").path("message").asText())
          .isEqualTo("Unknown tool: delete_repo");
      assertThat(names(byId(answers, 3).path("result").path("tools")))
          .containsExactly("read_file", "echo");
      assertThat(byId(answers, 3).path("result").path("nextCursor").asText()).isEqualTo("2");
      assertThat(byId(answers, 4).path("error").path("code").asInt()).isEqualTo(-32601);
      assertThat(byId(answers, 5).path("error").path("code").asInt()).isEqualTo(-32602);
      assertThat(upstream.calledTools()).containsExactly("echo");
      assertThat(upstream.requests().toString()).doesNotContainIgnoringCase("resources/list");

      // A later version has no batches: refused before anything is forwarded.
      HttpResponse<String> refused =
          post(
              url,
              session,
              "2025-06-18",
              "[{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"text\":\"x\"}}}]");
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(NodeMcp.JSON.readTree(refused.body()).path("error").path("code").asInt())
          .isEqualTo(-32600);
      assertThat(upstream.calledTools()).containsExactly("echo");
    }
  }

  @Test
  void aStatelessRequestToALegacyUpstreamGetsItsRefusalAndMismatchesNeverLeave() throws Exception {
    try (NodeMcp.Upstream upstream = NodeMcp.upstream(dir, TOKEN, "--stateless", "--json");
        SidecarFixture sidecar = sidecar(upstream.url())) {
      String url = sidecar.url() + "/mcp/gh";
      String call =
          """
          {"jsonrpc":"2.0","id":"a1","method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"},
           "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}""";
      // Header and body disagree: refused here (-32020), nothing forwarded.
      HttpResponse<String> mismatch = send(url, call, "2026-07-28", "tools/call", "delete_repo");
      assertThat(mismatch.statusCode()).isEqualTo(400);
      assertThat(NodeMcp.JSON.readTree(mismatch.body()).path("error").path("code").asInt())
          .isEqualTo(-32020);
      assertThat(upstream.requests()).isEmpty();
      // A denied stateless call is answered here.
      HttpResponse<String> denied =
          send(
              url,
              call.replace("\"echo\"", "\"delete_repo\""),
              "2026-07-28",
              "tools/call",
              "delete_repo");
      assertThat(NodeMcp.JSON.readTree(denied.body()).path("error").path("message").asText())
          .isEqualTo("Unknown tool: delete_repo");
      assertThat(upstream.requests()).isEmpty();
      // An allowed one is forwarded; this legacy upstream refuses the version with 400, which the
      // client needs to see to fall back to initialize.
      HttpResponse<String> legacy = send(url, call, "2026-07-28", "tools/call", "echo");
      assertThat(legacy.statusCode()).isEqualTo(400);
      assertThat(legacy.body()).contains("Unsupported protocol version");
      assertThat(upstream.requests()).hasSize(1);
      assertThat(upstream.requests().get(0).path("version").asText()).isEqualTo("2026-07-28");
    }
  }

  @Test
  void longUpstreamCallsDoNotHoldTheDecisionThreads() throws Exception {
    try (NodeMcp.Upstream upstream = NodeMcp.upstream(dir, TOKEN, "--stateless", "--json");
        SidecarFixture sidecar = sidecar(upstream.url())) {
      String url = sidecar.url() + "/mcp/gh";
      listAll(url); // the annotations (readOnlyHint) the policy allows "slow" by
      ExecutorService pool = Executors.newFixedThreadPool(12);
      try {
        List<Future<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // more than the 8 HTTP threads
          int id = i;
          slow.add(
              pool.submit(
                  () ->
                      post(
                          url,
                          null,
                          "2025-06-18",
                          """
              {"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"slow","arguments":{"ms":2000}}}"""
                              .formatted(id))));
        }
        Thread.sleep(300);
        long start = System.nanoTime();
        HttpResponse<String> health =
            http.send(
                HttpRequest.newBuilder(URI.create(sidecar.url() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> hook =
            sidecar.post(
                "/v1/hooks/claude-code",
                """
            {"session_id":"s","cwd":"/","hook_event_name":"PreToolUse","tool_name":"Read",
             "tool_input":{"file_path":"/x"},"tool_use_id":"t1"}""");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(hook.statusCode()).isEqualTo(200);
        assertThat(millis)
            .as("decision endpoints answer while 12 MCP calls wait upstream")
            .isLessThan(1_000);
        for (Future<HttpResponse<String>> answer : slow) {
          assertThat(answer.get().body()).contains("slow done");
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aSlowUpstreamTimesOutIntoAClearErrorAndAFailedAudit() throws Exception {
    try (NodeMcp.Upstream upstream = NodeMcp.upstream(dir, TOKEN, "--stateless");
        SidecarFixture sidecar = sidecar(upstream.url(), "--mcp-read-timeout-ms", "500")) {
      listAll(sidecar.url() + "/mcp/gh");
      long start = System.nanoTime();
      HttpResponse<String> answer =
          post(
              sidecar.url() + "/mcp/gh",
              null,
              "2025-06-18",
              """
          {"jsonrpc":"2.0","id":77,"method":"tools/call","params":{"name":"slow","arguments":{"ms":5000}}}""");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(millis).isLessThan(3_000);
      JsonNode error = lastMessage(answer.body()).path("error");
      assertThat(error.path("code").asInt()).as(answer.body()).isEqualTo(-32603);
      assertThat(error.path("message").asText()).contains("500 ms");
      assertThat(types(List.copyOf(sidecar.events), "mcp__gh__slow"))
          .containsExactly("tool_call.attempted", "tool_call.allowed", "tool_call.failed");
    }
  }

  /**
   * tools/list, every page, through the gateway (stateless upstream): the gateway learns the
   * annotations.
   */
  private void listAll(String url) throws Exception {
    String cursor = null;
    do {
      String params = cursor == null ? "{}" : "{\"cursor\":\"" + cursor + "\"}";
      JsonNode page =
          lastMessage(
              post(
                      url,
                      null,
                      "2025-06-18",
                      "{\"jsonrpc\":\"2.0\",\"id\":\"l\",\"method\":\"tools/list\",\"params\":"
                          + params
                          + "}")
                  .body());
      cursor = page.path("result").path("nextCursor").asText(null);
    } while (cursor != null);
  }

  /** The body as JSON, or every SSE data line of an event stream as one array. */
  static JsonNode allMessages(String body) throws Exception {
    if (body.startsWith("{") || body.startsWith("[")) {
      return NodeMcp.JSON.readTree(body);
    }
    ArrayNode all = NodeMcp.JSON.createArrayNode();
    for (String line : body.lines().filter(l -> l.startsWith("data: ")).toList()) {
      all.add(NodeMcp.JSON.readTree(line.substring("data: ".length())));
    }
    return all;
  }

  /** The body as JSON, or the last SSE data line of an event stream. */
  static JsonNode lastMessage(String body) throws Exception {
    if (body.startsWith("{") || body.startsWith("[")) {
      return NodeMcp.JSON.readTree(body);
    }
    String last =
        body.lines().filter(line -> line.startsWith("data: ")).reduce((a, b) -> b).orElseThrow();
    return NodeMcp.JSON.readTree(last.substring("data: ".length()));
  }

  private HttpResponse<String> post(String url, String session, String version, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      request.header("Mcp-Session-Id", session);
    }
    if (version != null) {
      request.header("MCP-Protocol-Version", version);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(
      String url, String body, String version, String method, String name) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("MCP-Protocol-Version", version)
            .header("Mcp-Method", method)
            .header("Mcp-Name", name)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static List<String> names(JsonNode tools) {
    List<String> names = new ArrayList<>();
    tools.forEach(tool -> names.add(tool.path("name").asText()));
    return names;
  }

  static String text(JsonNode result) {
    return result.path("content").path(0).path("text").asText();
  }

  static JsonNode byId(JsonNode answers, int id) {
    for (JsonNode answer : answers) {
      if (answer.path("id").asInt(-1) == id) {
        return answer;
      }
    }
    throw new AssertionError("no answer with id " + id + " in " + answers);
  }

  static List<String> types(List<AuditEvent> events, String tool) {
    return events.stream()
        .filter(e -> tool.equals(e.tool()))
        .map(e -> e.type().wireName())
        .toList();
  }
}
