package dev.tollgate.sidecar.gate.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.SidecarFixture;
import dev.tollgate.sidecar.approval.ApprovalBroker;
import dev.tollgate.sidecar.approval.InMemoryApprovalStore;
import dev.tollgate.sidecar.audit.AuditEvent;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway against a scripted upstream: the stateless 2026-07-28 generation, SSE processing,
 * negotiation, denials, limits and upstream faults.
 */
@Timeout(60)
class McpGatewayTest {

  static final String TOKEN = "unit-upstream-token-91c2";
  static final String LIST =
      """
      {"jsonrpc":"2.0","id":ID,"result":{"tools":[
        {"name":"list_tables","inputSchema":{"type":"object"},"annotations":{"readOnlyHint":true}},
        {"name":"drop_table","inputSchema":{"type":"object"},"annotations":{"destructiveHint":true}},
        {"name":"query","inputSchema":{"type":"object"}},
        {"name":"secret_tool","inputSchema":{"type":"object"}}],"nextCursor":"page-2"}}""";

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
        mcpServers:
          - {name: db, url: URL, tools: [list_tables, drop_table, query], credentialsSecretRef: {name: db, key: token}}
          - {name: open, url: URL, tools: ["*"]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolPolicy
      metadata: {name: mcp, namespace: team-a}
      spec:
        agents: {names: [coder]}
        rules:
          - {name: reads, tools: ["mcp__*"], effect: Allow,
             when: "has(resource.annotations.readOnlyHint) && resource.annotations.readOnlyHint"}
          - {name: selects, tools: [mcp__db__query], effect: Allow,
             when: "has(args.sql) && args.sql.lowerAscii().startsWith('select')"}
          - {name: updates, tools: [mcp__db__query], effect: RequireApproval, approvers: ["user:lead"],
             when: "has(args.sql) && args.sql.lowerAscii().startsWith('update')"}
          - {name: no-drops, tools: ["mcp__*"], effect: Deny, message: "no destructive tools",
             when: "has(resource.annotations.destructiveHint) && resource.annotations.destructiveHint"}
      """;

  @TempDir Path dir;

  FakeUpstream upstream;
  SidecarFixture sidecar;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    upstream = new FakeUpstream();
  }

  @AfterEach
  void stop() {
    if (sidecar != null) {
      sidecar.close();
    }
    upstream.close();
  }

  void startSidecar(String url, String... extra) throws Exception {
    Path credentials = dir.resolve("credentials");
    Files.createDirectories(credentials.resolve("db"));
    Files.writeString(credentials.resolve("db/token"), TOKEN + "\n");
    List<String> args = new ArrayList<>(List.of("--mcp-credentials-dir", credentials.toString()));
    args.addAll(List.of(extra));
    sidecar =
        SidecarFixture.startWith(dir, POLICIES.replace("URL", url), args.toArray(String[]::new));
  }

  HttpResponse<String> modern(String server, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(sidecar.url() + "/mcp/" + server))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("MCP-Protocol-Version", "2026-07-28")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String call(Object id, String tool, String args) {
    return """
        {"jsonrpc":"2.0","id":%s,"method":"tools/call","params":{"name":"%s","arguments":%s,
         "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}"""
        .formatted(id, tool, args);
  }

  static List<JsonNode> sseMessages(String body) throws Exception {
    List<JsonNode> messages = new ArrayList<>();
    for (String line : body.split("\r?\n")) {
      if (line.startsWith("data: ")) {
        messages.add(JsonRpc.JSON.readTree(line.substring(6)));
      }
    }
    return messages;
  }

  List<String> types(String tool) {
    synchronized (sidecar.events) {
      return sidecar.events.stream()
          .filter(e -> tool.equals(e.tool()))
          .map(e -> e.type().wireName())
          .toList();
    }
  }

  @Test
  void statelessToolsListInsideAnSseStreamIsFilteredAndTheCredentialAdded() throws Exception {
    upstream.script =
        r ->
            FakeUpstream.Answer.sse(
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":1,\"progress\":1}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}",
                LIST.replace("ID", "\"L1\"").replace("\n", ""));
    startSidecar(upstream.url());
    HttpResponse<String> answer =
        modern(
            "db",
            """
        {"jsonrpc":"2.0","id":"L1","method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}""",
            Map.of("Mcp-Method", "tools/list", "Authorization", "Bearer agent-must-not-pass-this"));
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    List<JsonNode> messages = sseMessages(answer.body());
    assertThat(messages).hasSize(3);
    assertThat(messages.get(0).path("method").asText()).isEqualTo("notifications/progress");
    assertThat(messages.get(1).path("method").asText())
        .isEqualTo("notifications/tools/list_changed");
    JsonNode result = messages.get(2).path("result");
    assertThat(McpGatewayNodeIT.names(result.path("tools")))
        .containsExactly("list_tables", "query");
    assertThat(result.path("nextCursor").asText()).isEqualTo("page-2");

    FakeUpstream.Received received = upstream.received.get(0);
    assertThat(received.headers())
        .containsEntry("authorization", "Bearer " + TOKEN)
        .containsEntry("mcp-method", "tools/list")
        .containsEntry("mcp-protocol-version", "2026-07-28");
  }

  @Test
  void aCallThatNeedsApprovalWaitsAndReachesTheUpstreamOnlyOnceApproved() throws Exception {
    upstream.script =
        r ->
            r.body().contains("tools/list")
                ? FakeUpstream.Answer.json(LIST.replace("ID", "1"))
                : FakeUpstream.Answer.json(
                    "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"1 row updated\"}]}}");
    Path credentials = dir.resolve("credentials");
    Files.createDirectories(credentials.resolve("db"));
    Files.writeString(credentials.resolve("db/token"), TOKEN + "\n");
    InMemoryApprovalStore approvals = new InMemoryApprovalStore("team-a");
    sidecar =
        SidecarFixture.startWithApprovals(
            dir,
            POLICIES.replace("URL", upstream.url()),
            new ApprovalBroker(approvals, Clock.systemUTC(), Duration.ofHours(1)),
            "--mcp-credentials-dir",
            credentials.toString());
    modern(
        "db",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
        Map.of("Mcp-Method", "tools/list"));
    int before = upstream.received.size();

    CompletableFuture<HttpResponse<String>> held =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return modern(
                    "db",
                    call(7, "query", "{\"sql\":\"UPDATE t SET a = 1\"}"),
                    Map.of("Mcp-Method", "tools/call", "Mcp-Name", "query"));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> approvals.asked().size() == 1);
    assertThat(approvals.asked().get(0).tool()).isEqualTo("mcp__db__query");
    assertThat(approvals.asked().get(0).approvers()).containsExactly("user:lead");
    assertThat(held).isNotDone();
    assertThat(upstream.received).as("nothing forwarded while held").hasSize(before);

    approvals.decide("team-a/approval-1", true, "lead", "");
    assertThat(held.get(10, TimeUnit.SECONDS).body()).contains("1 row updated");
    assertThat(upstream.received).hasSize(before + 1);
    assertThat(types("mcp__db__query"))
        .containsExactly(
            "tool_call.attempted",
            "tool_call.approval_requested",
            "tool_call.approved",
            "tool_call.executed");
  }

  @Test
  void claudeCodesHookSeesTheAnnotationsTheGatewayListed() throws Exception {
    upstream.script = r -> FakeUpstream.Answer.json(LIST.replace("ID", "1"));
    startSidecar(upstream.url());
    String hook =
        """
        {"session_id":"s","cwd":"/w","hook_event_name":"PreToolUse","tool_name":"mcp__db__list_tables",
         "tool_input":{},"tool_use_id":"toolu_HOOK"}""";
    // Before any listing the annotation-based Allow cannot apply: denied, fail closed.
    assertThat(sidecar.post("/v1/hooks/claude-code", hook.replace("toolu_HOOK", "toolu_1")).body())
        .contains("\"permissionDecision\":\"deny\"");
    modern(
        "db",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
        Map.of("Mcp-Method", "tools/list"));
    // The hook Claude Code runs for the same MCP call now decides it as the gateway would.
    assertThat(sidecar.post("/v1/hooks/claude-code", hook.replace("toolu_HOOK", "toolu_2")).body())
        .contains("\"permissionDecision\":\"allow\"", "team-a/mcp/reads");
  }

  @Test
  void statelessCallsAreDecidedOnTheBodyAndHeadersMustAgreeWithIt() throws Exception {
    upstream.script =
        r ->
            r.body().contains("tools/list")
                ? FakeUpstream.Answer.json(LIST.replace("ID", "1"))
                : FakeUpstream.Answer.json(
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"3 rows\"}]}}");
    startSidecar(upstream.url());
    modern(
        "db",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
        Map.of("Mcp-Method", "tools/list"));

    HttpResponse<String> allowed =
        modern(
            "db",
            call(2, "query", "{\"sql\":\"SELECT 1\"}"),
            Map.of(
                "Mcp-Method",
                "tools/call",
                "Mcp-Name",
                "=?base64?" + Base64.getEncoder().encodeToString("query".getBytes()) + "?="));
    assertThat(allowed.body()).contains("3 rows");
    assertThat(upstream.received.get(1).headers()).containsKey("mcp-name");
    assertThat(types("mcp__db__query"))
        .containsExactly("tool_call.attempted", "tool_call.allowed", "tool_call.executed");

    int before = upstream.received.size();
    HttpResponse<String> policyDenied =
        modern(
            "db",
            call(3, "query", "{\"sql\":\"DELETE FROM t\"}"),
            Map.of("Mcp-Method", "tools/call", "Mcp-Name", "query"));
    JsonNode error = JsonRpc.JSON.readTree(policyDenied.body()).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(-32602);
    assertThat(error.path("message").asText())
        .startsWith("Tool call denied by Tollgate")
        .contains("NoRuleAllows");

    for (Map<String, String> bad :
        List.of(
            Map.of("Mcp-Method", "tools/call"), // no Mcp-Name
            Map.of("Mcp-Method", "tools/call", "Mcp-Name", "list_tables"), // name differs
            Map.of("Mcp-Method", "tools/list", "Mcp-Name", "query"), // method differs
            Map.<String, String>of())) { // no Mcp-Method
      HttpResponse<String> refused = modern("db", call(4, "query", "{\"sql\":\"select 1\"}"), bad);
      assertThat(refused.statusCode()).as(bad.toString()).isEqualTo(400);
      assertThat(JsonRpc.JSON.readTree(refused.body()).path("error").path("code").asInt())
          .isEqualTo(-32020);
    }
    HttpResponse<String> version =
        http.send(
            HttpRequest.newBuilder(URI.create(sidecar.url() + "/mcp/db"))
                .header("MCP-Protocol-Version", "2099-01-01")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(version.statusCode()).isEqualTo(400);
    JsonNode unsupported = JsonRpc.JSON.readTree(version.body()).path("error");
    assertThat(unsupported.path("code").asInt()).isEqualTo(-32022);
    assertThat(unsupported.path("data").path("supported").toString())
        .contains("2026-07-28", "2025-11-25");
    assertThat(upstream.received).hasSize(before);
  }

  @Test
  void deniedCallsCanBeAnsweredAsIsErrorResultsButHiddenToolsStayUnknown() throws Exception {
    upstream.script = r -> FakeUpstream.Answer.json(LIST.replace("ID", "1"));
    startSidecar(upstream.url(), "--mcp-denial", "result");
    modern(
        "db",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
        Map.of("Mcp-Method", "tools/list"));
    JsonNode denied =
        JsonRpc.JSON.readTree(
            modern(
                    "db",
                    call(7, "query", "{\"sql\":\"drop table x\"}"),
                    Map.of("Mcp-Method", "tools/call", "Mcp-Name", "query"))
                .body());
    assertThat(denied.path("result").path("isError").asBoolean()).isTrue();
    assertThat(denied.path("result").path("content").get(0).path("text").asText())
        .startsWith("Tollgate denied this call");
    for (String hidden : List.of("drop_table", "secret_tool", "nope")) {
      JsonNode answer =
          JsonRpc.JSON.readTree(
              modern(
                      "db",
                      call(8, hidden, "{}"),
                      Map.of("Mcp-Method", "tools/call", "Mcp-Name", hidden))
                  .body());
      assertThat(answer.path("error").path("message").asText())
          .isEqualTo("Unknown tool: " + hidden);
    }
    assertThat(upstream.received).hasSize(1);
    AuditEvent drop =
        sidecar.events.stream()
            .filter(
                e ->
                    "mcp__db__drop_table".equals(e.tool())
                        && e.type().wireName().equals("tool_call.denied"))
            .findFirst()
            .orElseThrow();
    assertThat(drop.correlationId()).isEqualTo("8");
    assertThat(drop.rules()).containsExactly("team-a/mcp/no-drops");
  }

  @Test
  void unknownMethodsFollowTheConfiguredDefault() throws Exception {
    upstream.script =
        r -> FakeUpstream.Answer.json("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tasks\":[]}}");
    startSidecar(upstream.url());
    String list = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tasks/list\"}";
    JsonNode refused =
        JsonRpc.JSON.readTree(modern("db", list, Map.of("Mcp-Method", "tasks/list")).body());
    assertThat(refused.path("error").path("code").asInt()).isEqualTo(-32601);
    assertThat(upstream.received).isEmpty();
    // Notifications the default refuses are dropped with 202.
    assertThat(
            modern(
                    "db",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"custom/poke\"}",
                    Map.of("Mcp-Method", "custom/poke"))
                .statusCode())
        .isEqualTo(202);
    assertThat(upstream.received).isEmpty();
    sidecar.close();
    sidecar = null;
    startSidecar(upstream.url(), "--mcp-other-methods", "allow");
    JsonNode passed =
        JsonRpc.JSON.readTree(modern("db", list, Map.of("Mcp-Method", "tasks/list")).body());
    assertThat(passed.path("result").has("tasks")).isTrue();
    assertThat(upstream.received).hasSize(1);
  }

  @Test
  void initializeIsNegotiatedToVersionsTheGatewayKnows() throws Exception {
    upstream.script =
        r ->
            FakeUpstream.Answer.json(
                r.body().contains("\"2025-11-25\"")
                    ? "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"serverInfo\":{\"name\":\"f\",\"version\":\"1\"}}}"
                    : "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"2031-01-01\",\"capabilities\":{},\"serverInfo\":{\"name\":\"f\",\"version\":\"1\"}}}");
    startSidecar(upstream.url());
    JsonNode newer =
        JsonRpc.JSON.readTree(
            sidecar
                .post(
                    "/mcp/db",
                    """
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2099-01-01","capabilities":{},
         "clientInfo":{"name":"c","version":"1"}}}""")
                .body());
    assertThat(newer.path("result").path("protocolVersion").asText()).isEqualTo("2025-11-25");
    assertThat(upstream.received.get(0).json().path("params").path("protocolVersion").asText())
        .isEqualTo("2025-11-25");
    JsonNode unknown =
        JsonRpc.JSON.readTree(
            sidecar
                .post(
                    "/mcp/db",
                    """
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},
         "clientInfo":{"name":"c","version":"1"}}}""")
                .body());
    assertThat(unknown.path("error").path("message").asText())
        .contains("Unsupported protocol version");
  }

  @Test
  void malformedAndOversizedRequestsAreRefusedAndAudited() throws Exception {
    startSidecar(upstream.url(), "--mcp-max-request-bytes", "2048");
    HttpResponse<String> garbage = sidecar.post("/mcp/db", "{not json");
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(JsonRpc.JSON.readTree(garbage.body()).path("error").path("code").asInt())
        .isEqualTo(-32700);
    HttpResponse<String> big =
        sidecar.post("/mcp/db", call(1, "query", "{\"sql\":\"" + "x".repeat(4_000) + "\"}"));
    assertThat(big.statusCode()).isEqualTo(413);
    JsonNode noJsonRpc =
        JsonRpc.JSON.readTree(
            sidecar
                .post(
                    "/mcp/db",
                    "{\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"query\"}}")
                .body());
    assertThat(noJsonRpc.path("error").path("code").asInt()).isEqualTo(-32600);
    JsonNode noName =
        JsonRpc.JSON.readTree(
            sidecar
                .post(
                    "/mcp/db",
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{}}")
                .body());
    assertThat(noName.path("error").path("code").asInt()).isEqualTo(-32602);
    assertThat(sidecar.post("/mcp/db", "[]").statusCode()).isEqualTo(400);
    assertThat(sidecar.post("/mcp/db", "42").statusCode()).isEqualTo(400);
    assertThat(upstream.received).isEmpty();
    synchronized (sidecar.events) {
      assertThat(sidecar.events)
          .filteredOn(e -> e.type().wireName().equals("tool_call.denied"))
          .hasSize(5)
          .allSatisfy(e -> assertThat(e.reasons()).containsExactly("BadRequest"));
    }
  }

  @Test
  void unknownServersAndForeignOriginsAreRefused() throws Exception {
    startSidecar(upstream.url());
    HttpResponse<String> unknown = sidecar.post("/mcp/nope", call(1, "query", "{}"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JsonRpc.JSON.readTree(unknown.body()).path("error").path("message").asText())
        .isEqualTo("Unknown tool: query");
    assertThat(sidecar.post("/mcp/a/b", "{}").statusCode()).isEqualTo(404);
    HttpResponse<String> foreign =
        http.send(
            HttpRequest.newBuilder(URI.create(sidecar.url() + "/mcp/db"))
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(call(1, "query", "{}")))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void upstreamFaultsBecomeClearErrorsNeverHangsOrAllows() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    // "open" has no credential; "db" needs one.
    startSidecar(
        upstream.url(), "--mcp-read-timeout-ms", "400", "--mcp-max-response-bytes", "4096");
    String listTables = call(1, "list_tables", "{}");
    upstream.script = r -> FakeUpstream.Answer.json(LIST.replace("ID", "1"));
    modern(
        "open",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
        Map.of("Mcp-Method", "tools/list"));

    upstream.script = r -> new FakeUpstream.Answer(200, "text/html", "<html>oops</html>", null, 0);
    assertFault(listTables, "not JSON-RPC");
    upstream.script = r -> new FakeUpstream.Answer(502, "text/html", "bad gateway", null, 0);
    assertFault(listTables, "answered HTTP 502");
    upstream.script =
        r ->
            FakeUpstream.Answer.json(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\""
                    + "y".repeat(10_000)
                    + "\"}]}}");
    assertFault(listTables, "larger than 4096 bytes");
    upstream.script = r -> new FakeUpstream.Answer(200, "application/json", "{}", null, 3_000);
    long start = System.nanoTime();
    assertFault(listTables, "did not answer within 400 ms");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_500);
    upstream.script =
        r ->
            new FakeUpstream.Answer(
                200,
                "text/event-stream",
                null,
                List.of(
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":1,\"progress\":1}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[]}}"),
                1_500);
    assertFault(listTables, "sent nothing for 400 ms");
    // Upstream trouble shows per server and kind, so an alert can tell a slow server from a down
    // one.
    assertThat(sidecar.metrics().scrape())
        .containsPattern(upstreamCount("open", "ok") + "[1-9]")
        .containsPattern(upstreamCount("open", "http_5xx") + "1\\n")
        .containsPattern(upstreamCount("open", "timeout") + "1\\n");

    sidecar.close();
    sidecar = null;
    startSidecar("http://127.0.0.1:" + closedPort + "/mcp");
    modern(
        "open",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
        Map.of("Mcp-Method", "tools/list"));
    // Without annotations (nothing listed) read-only tools are not known to be read-only: query
    // with a select is.
    JsonNode down =
        answerOf(
            modern(
                    "db",
                    call(1, "query", "{\"sql\":\"select 1\"}"),
                    Map.of("Mcp-Method", "tools/call", "Mcp-Name", "query"))
                .body());
    assertThat(down.path("error").path("code").asInt()).isEqualTo(-32603);
    assertThat(down.path("error").path("message").asText()).contains("unreachable");
    assertThat(sidecar.metrics().scrape()).containsPattern(upstreamCount("db", "refused") + "1\\n");
    assertThat(types("mcp__db__query"))
        .containsExactly("tool_call.attempted", "tool_call.allowed", "tool_call.failed");

    Files.delete(dir.resolve("credentials/db/token"));
    JsonNode noCredential =
        answerOf(
            modern(
                    "db",
                    call(2, "query", "{\"sql\":\"select 1\"}"),
                    Map.of("Mcp-Method", "tools/call", "Mcp-Name", "query"))
                .body());
    assertThat(noCredential.path("error").path("message").asText())
        .contains("credential")
        .contains("not mounted")
        .doesNotContain(TOKEN);
  }

  @Test
  void aSubscriptionStreamMayStayQuietLongerThanTheReadTimeout() throws Exception {
    upstream.script =
        r ->
            new FakeUpstream.Answer(
                200,
                "text/event-stream",
                null,
                List.of(
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/subscriptions/acknowledged\"}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}"),
                700);
    startSidecar(upstream.url(), "--mcp-read-timeout-ms", "300");
    HttpResponse<String> answer =
        modern(
            "db",
            """
        {"jsonrpc":"2.0","id":"s1","method":"subscriptions/listen","params":{"notifications":{"toolsListChanged":true}}}""",
            Map.of("Mcp-Method", "subscriptions/listen"));
    List<JsonNode> messages = sseMessages(answer.body());
    assertThat(messages)
        .extracting(m -> m.path("method").asText())
        .containsExactly(
            "notifications/subscriptions/acknowledged", "notifications/tools/list_changed");
  }

  private static String upstreamCount(String server, String outcome) {
    return "tollgate_mcp_upstream_requests_seconds_count\\{outcome=\""
        + outcome
        + "\",server=\""
        + server
        + "\"} ";
  }

  private void assertFault(String body, String expected) throws Exception {
    int failedBefore =
        (int)
            types("mcp__open__list_tables").stream()
                .filter(t -> t.equals("tool_call.failed"))
                .count();
    HttpResponse<String> answer =
        modern("open", body, Map.of("Mcp-Method", "tools/call", "Mcp-Name", "list_tables"));
    JsonNode error = answerOf(answer.body()).path("error");
    assertThat(error.path("code").asInt()).as(answer.body()).isEqualTo(-32603);
    assertThat(error.path("message").asText()).contains(expected);
    assertThat(
            types("mcp__open__list_tables").stream()
                .filter(t -> t.equals("tool_call.failed"))
                .count())
        .isEqualTo(failedBefore + 1);
  }

  private static JsonNode answerOf(String body) throws Exception {
    return McpGatewayNodeIT.lastMessage(body);
  }
}
