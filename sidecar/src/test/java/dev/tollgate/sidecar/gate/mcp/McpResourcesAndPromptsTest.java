package dev.tollgate.sidecar.gate.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.SidecarFixture;
import dev.tollgate.sidecar.approval.ApprovalBroker;
import dev.tollgate.sidecar.approval.InMemoryApprovalStore;
import dev.tollgate.sidecar.audit.AuditEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MCP beyond tools, over HTTP against an upstream that answers every request it gets: resource
 * reads and prompts decided as calls, listings filtered, utilities passed, and every spelling,
 * encoding and framing trick refused before the upstream sees it.
 */
@Timeout(60)
class McpResourcesAndPromptsTest {

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
          - {name: files, url: URL, tools: [notes, resource, prompt]}
          - {name: narrow, url: URL, tools: [notes]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolPolicy
      metadata: {name: mcp, namespace: team-a}
      spec:
        agents: {names: [coder]}
        rules:
          - {name: notes, tools: ["mcp__*__notes"], effect: Allow}
          - {name: workspace, tools: [mcp__files__resource], effect: Allow,
             when: "resource.scheme == 'file' && resource.path.startsWith('/workspace/')"}
          - {name: secrets, tools: [mcp__files__resource], effect: RequireApproval, approvers: ["user:lead"],
             when: "resource.scheme == 'file' && resource.path.startsWith('/secrets/')"}
          - {name: review, tools: [mcp__files__prompt], effect: Allow, when: "args.name == 'review'"}
          - {name: no-prod, tools: [mcp__files__prompt], effect: Deny, message: "not for prod",
             when: "has(args.arguments.env) && args.arguments.env == 'prod'"}
      """;

  static final String RESOURCE = "mcp__files__resource";
  static final String PROMPT = "mcp__files__prompt";

  @TempDir Path dir;

  FakeUpstream upstream;
  SidecarFixture sidecar;

  @BeforeEach
  void start() throws Exception {
    upstream = new FakeUpstream();
    upstream.script = McpResourcesAndPromptsTest::answer;
  }

  @AfterEach
  void stop() {
    if (sidecar != null) {
      sidecar.close();
    }
    upstream.close();
  }

  /** What a server with notes, files and prompts answers (one answer per request, batch or not). */
  static FakeUpstream.Answer answer(FakeUpstream.Received received) {
    try {
      JsonNode body = received.json();
      List<JsonNode> answers = new ArrayList<>();
      for (JsonNode message : body.isArray() ? body : List.of(body)) {
        if (message.has("id") && message.has("method")) {
          answers.add(JsonRpc.result(message.get("id"), result(message)));
        }
      }
      if (answers.isEmpty()) {
        return new FakeUpstream.Answer(202, "application/json", "", null, 0);
      }
      return FakeUpstream.Answer.json(
          body.isArray() ? PostForwarder.arrayOf(answers).toString() : answers.get(0).toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode result(JsonNode message) throws Exception {
    JsonNode params = message.path("params");
    return switch (message.path("method").asText()) {
      case "resources/read" ->
          JsonRpc.JSON.readTree(
              "{\"contents\":[{\"uri\":%s,\"text\":\"contents\"}]}"
                  .formatted(params.path("uri").toString()));
      case "resources/list" ->
          JsonRpc.JSON.readTree(
              """
              {"resources":[{"uri":"file:///workspace/a.md","name":"a"},
                {"uri":"file:///etc/passwd","name":"passwd"},
                {"uri":"file:///workspace/%2e%2e/etc/shadow","name":"sneaky"},
                {"uri":"file:///secrets/key","name":"key"}],"nextCursor":"2"}""");
      case "resources/templates/list" ->
          JsonRpc.JSON.readTree(
              "{\"resourceTemplates\":[{\"uriTemplate\":\"file:///workspace/{path}\",\"name\":\"ws\"}]}");
      case "prompts/list" ->
          JsonRpc.JSON.readTree("{\"prompts\":[{\"name\":\"review\"},{\"name\":\"deploy\"}]}");
      case "prompts/get" ->
          JsonRpc.JSON.readTree(
              "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"go\"}}]}");
      case "tools/list" ->
          JsonRpc.JSON.readTree(
              "{\"tools\":[{\"name\":\"notes\",\"inputSchema\":{\"type\":\"object\"}},"
                  + "{\"name\":\"resource\",\"inputSchema\":{\"type\":\"object\"}}]}");
      default -> JsonRpc.JSON.createObjectNode();
    };
  }

  void startSidecar(String... extra) throws Exception {
    sidecar = SidecarFixture.startWith(dir, POLICIES.replace("URL", upstream.url()), extra);
  }

  JsonNode post(String server, String body) throws Exception {
    String answer = sidecar.post("/mcp/" + server, body).body();
    return answer.isEmpty() ? null : JsonRpc.JSON.readTree(answer);
  }

  static String read(Object id, String uri) {
    return request(id, "resources/read", "{\"uri\":" + JsonRpc.JSON.valueToTree(uri) + "}");
  }

  static String request(Object id, String method, String params) {
    ObjectNode message = JsonRpc.JSON.createObjectNode().put("jsonrpc", "2.0");
    message.set("id", JsonRpc.JSON.valueToTree(id));
    message.put("method", method);
    try {
      message.set("params", JsonRpc.JSON.readTree(params));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return message.toString();
  }

  /** The JSON-RPC methods the upstream received, in order. */
  List<String> upstreamMethods() throws Exception {
    List<String> methods = new ArrayList<>();
    for (FakeUpstream.Received received : upstream.received) {
      JsonNode body = received.json();
      for (JsonNode message : body.isArray() ? body : List.of(body)) {
        methods.add(message.path("method").asText("response"));
      }
    }
    return methods;
  }

  /** The URIs of the resources/read and resources/subscribe requests the upstream received. */
  List<String> upstreamUris() throws Exception {
    List<String> uris = new ArrayList<>();
    for (FakeUpstream.Received received : upstream.received) {
      JsonNode body = received.json();
      for (JsonNode message : body.isArray() ? body : List.of(body)) {
        if (message.path("params").has("uri")) {
          uris.add(message.path("params").path("uri").asText());
        }
      }
    }
    return uris;
  }

  List<AuditEvent> events(String correlationId) {
    synchronized (sidecar.events) {
      return sidecar.events.stream().filter(e -> correlationId.equals(e.correlationId())).toList();
    }
  }

  List<String> types(String correlationId) {
    return events(correlationId).stream().map(e -> e.type().wireName()).toList();
  }

  @Test
  void aResourceReadIsDecidedOnItsUriAndAuditedLikeAToolCall() throws Exception {
    startSidecar();
    JsonNode allowed = post("files", read("r1", "file:///workspace/a.md"));
    assertThat(allowed.path("result").path("contents").get(0).path("uri").asText())
        .isEqualTo("file:///workspace/a.md");
    assertThat(types("r1"))
        .containsExactly("tool_call.attempted", "tool_call.allowed", "tool_call.executed");
    AuditEvent decided = events("r1").get(1);
    assertThat(decided.tool()).isEqualTo(RESOURCE);
    assertThat(decided.source()).isEqualTo("mcp");
    assertThat(decided.resource())
        .containsEntry("type", "mcp")
        .containsEntry("tool", "resource")
        .containsEntry("uri", "file:///workspace/a.md")
        .containsEntry("path", "/workspace/a.md");
    assertThat(decided.rules()).containsExactly("team-a/mcp/workspace");

    JsonNode denied = post("files", read("r2", "file:///etc/passwd"));
    assertThat(denied.path("error").path("code").asInt()).isEqualTo(-32602);
    assertThat(denied.path("error").path("message").asText())
        .startsWith("resources/read denied by Tollgate:");
    assertThat(types("r2")).containsExactly("tool_call.attempted", "tool_call.denied");
    assertThat(upstreamUris()).containsExactly("file:///workspace/a.md");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "file:///workspace/../etc/passwd",
        "file:///workspace/%2e%2e/etc/passwd",
        "file:///workspace/%2E%2E%2Fetc%2Fpasswd",
        "file:///workspace/..%5C..%5Cetc/passwd",
        "file:///workspace\\..\\etc\\passwd",
        "file:///workspace/%zz/../../etc/passwd",
        "FILE:///etc/passwd",
        "file:/etc/passwd",
        "file://localhost/etc/passwd",
        " file:///etc/passwd",
        "file:///etc/passwd#/workspace/x",
        "http://evil.example/workspace/a.md",
      })
  void encodedAndDottedUrisCannotLeaveTheAllowedPath(String uri) throws Exception {
    startSidecar();
    JsonNode answer = post("files", read(9, uri));
    assertThat(answer.path("error").path("code").asInt()).as(uri).isEqualTo(-32602);
    assertThat(types("9")).containsExactly("tool_call.attempted", "tool_call.denied");
    assertThat(upstream.received).as("nothing reaches the upstream").isEmpty();
  }

  @Test
  void aUriThatIsNoStringIsRefusedAsInvalidParamsAndAudited() throws Exception {
    startSidecar();
    JsonNode answer = post("files", request(3, "resources/read", "{\"uri\":[\"file:///x\"]}"));
    assertThat(answer.path("error").path("code").asInt()).isEqualTo(-32602);
    assertThat(answer.path("error").path("message").asText()).contains("without a uri");
    assertThat(types("3")).containsExactly("tool_call.attempted", "tool_call.denied");
    assertThat(events("3").get(1))
        .satisfies(
            e -> {
              assertThat(e.type().wireName()).isEqualTo("tool_call.denied");
              assertThat(e.tool()).isEqualTo(RESOURCE);
              assertThat(e.reasons()).containsExactly("BadRequest");
            });
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void subscribingIsDecidedLikeReadingAndUnsubscribingPasses() throws Exception {
    startSidecar();
    JsonNode denied =
        post("files", request(4, "resources/subscribe", "{\"uri\":\"file:///etc/passwd\"}"));
    assertThat(denied.path("error").path("message").asText())
        .startsWith("resources/subscribe denied by Tollgate:");
    assertThat(upstream.received).isEmpty();
    JsonNode allowed =
        post("files", request(5, "resources/subscribe", "{\"uri\":\"file:///workspace/a\"}"));
    assertThat(allowed.has("result")).isTrue();
    assertThat(events("5").get(1).tool()).isEqualTo(RESOURCE);
    post("files", request(6, "resources/unsubscribe", "{\"uri\":\"file:///etc/passwd\"}"));
    assertThat(upstreamMethods()).containsExactly("resources/subscribe", "resources/unsubscribe");
  }

  @Test
  void aServerWhoseScopeLeavesOutResourcesAnswersAsIfItHadNone() throws Exception {
    startSidecar();
    JsonNode answer = post("narrow", read("n1", "file:///workspace/a.md"));
    assertThat(answer.path("error").path("code").asInt()).isEqualTo(-32002);
    assertThat(answer.path("error").path("data").path("uri").asText())
        .isEqualTo("file:///workspace/a.md");
    JsonNode prompt = post("narrow", request("n2", "prompts/get", "{\"name\":\"review\"}"));
    assertThat(prompt.path("error").path("message").asText()).isEqualTo("Unknown prompt: review");
    assertThat(events("n1").get(1).reasons()).contains("OutOfScope");
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void aResourceReadThatNeedsApprovalIsHeldAndForwardedOnlyOnceApproved() throws Exception {
    InMemoryApprovalStore approvals = new InMemoryApprovalStore("team-a");
    sidecar =
        SidecarFixture.startWithApprovals(
            dir,
            POLICIES.replace("URL", upstream.url()),
            new ApprovalBroker(approvals, Clock.systemUTC(), Duration.ofHours(1)));
    CompletableFuture<JsonNode> held =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return post("files", read(11, "file:///secrets/key"));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> approvals.asked().size() == 1);
    assertThat(approvals.asked().get(0).tool()).isEqualTo(RESOURCE);
    assertThat(held).isNotDone();
    assertThat(upstream.received).as("nothing forwarded while held").isEmpty();
    approvals.decide("team-a/approval-1", true, "lead", "");
    assertThat(held.get(10, TimeUnit.SECONDS).path("result").has("contents")).isTrue();
    assertThat(upstreamUris()).containsExactly("file:///secrets/key");
    assertThat(types("11"))
        .containsExactly(
            "tool_call.attempted",
            "tool_call.approval_requested",
            "tool_call.approved",
            "tool_call.executed");
  }

  @Test
  void promptsAreDecidedOnTheirNameAndArguments() throws Exception {
    startSidecar();
    JsonNode review =
        post(
            "files",
            request("p1", "prompts/get", "{\"name\":\"review\",\"arguments\":{\"env\":\"dev\"}}"));
    assertThat(review.path("result").has("messages")).isTrue();
    AuditEvent decided = events("p1").get(1);
    assertThat(decided.tool()).isEqualTo(PROMPT);
    assertThat(decided.argsSummary().toString()).contains("review", "dev");

    JsonNode prod =
        post(
            "files",
            request("p2", "prompts/get", "{\"name\":\"review\",\"arguments\":{\"env\":\"prod\"}}"));
    assertThat(prod.path("error").path("message").asText())
        .startsWith("prompts/get denied by Tollgate:")
        .contains("not for prod");
    JsonNode other = post("files", request("p3", "prompts/get", "{\"name\":\"deploy\"}"));
    assertThat(other.path("error").path("code").asInt()).isEqualTo(-32602);
    JsonNode broken =
        post("files", request("p4", "prompts/get", "{\"name\":\"review\",\"arguments\":[1]}"));
    assertThat(broken.path("error").path("message").asText())
        .contains("arguments must be a JSON object");
    assertThat(events("p4").get(1).reasons()).containsExactly("BadRequest");
    assertThat(upstreamMethods()).containsExactly("prompts/get");
  }

  @Test
  void listingsKeepOnlyWhatCouldBeAllowed() throws Exception {
    startSidecar();
    JsonNode resources = post("files", request(1, "resources/list", "{}")).path("result");
    assertThat(McpGatewayNodeIT.names(resources.path("resources"))).containsExactly("a", "key");
    assertThat(resources.path("nextCursor").asText()).isEqualTo("2");
    JsonNode templates = post("files", request(2, "resources/templates/list", "{}"));
    assertThat(templates.path("result").path("resourceTemplates")).hasSize(1);
    JsonNode prompts = post("files", request(3, "prompts/list", "{}")).path("result");
    assertThat(McpGatewayNodeIT.names(prompts.path("prompts"))).containsExactly("review");
    JsonNode narrow = post("narrow", request(4, "resources/templates/list", "{}"));
    assertThat(narrow.path("result").path("resourceTemplates")).isEmpty();
    assertThat(post("narrow", request(5, "prompts/list", "{}")).path("result").path("prompts"))
        .isEmpty();
    // Listing decides nothing: no audit.
    assertThat(sidecar.events).isEmpty();
  }

  @Test
  void anUpstreamToolUnderAReservedNameIsNeitherListedNorCalled() throws Exception {
    startSidecar();
    JsonNode tools = post("files", request(1, "tools/list", "{}")).path("result");
    assertThat(McpGatewayNodeIT.names(tools.path("tools"))).containsExactly("notes");
    JsonNode call =
        post(
            "files",
            request(
                "t1",
                "tools/call",
                "{\"name\":\"resource\",\"arguments\":{\"uri\":\"file:///workspace/a\"}}"));
    assertThat(call.path("error").path("message").asText()).isEqualTo("Unknown tool: resource");
    assertThat(types("t1")).containsExactly("tool_call.attempted", "tool_call.denied");
    assertThat(events("t1").get(1))
        .satisfies(
            e -> {
              assertThat(e.type().wireName()).isEqualTo("tool_call.denied");
              assertThat(e.message()).contains("reserved");
            });
    assertThat(upstreamMethods()).containsExactly("tools/list");
  }

  @Test
  void harmlessUtilitiesPassByDefault() throws Exception {
    startSidecar();
    for (String method : List.of("ping", "logging/setLevel", "completion/complete")) {
      JsonNode answer = post("files", request(method, method, "{}"));
      assertThat(answer.has("result")).as(method).isTrue();
    }
    for (String notification :
        List.of(
            "notifications/initialized",
            "notifications/cancelled",
            "notifications/progress",
            "notifications/roots/list_changed")) {
      assertThat(
              sidecar
                  .post(
                      "/mcp/files",
                      "{\"jsonrpc\":\"2.0\",\"method\":\"" + notification + "\",\"params\":{}}")
                  .statusCode())
          .isEqualTo(202);
    }
    assertThat(upstreamMethods())
        .containsExactly(
            "ping",
            "logging/setLevel",
            "completion/complete",
            "notifications/initialized",
            "notifications/cancelled",
            "notifications/progress",
            "notifications/roots/list_changed");
    assertThat(sidecar.events).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Resources/Read",
        "resources/read ",
        " resources/read",
        "resources/READ",
        "resources//read",
        "resources/read/",
        "resources/\tread",
        "resources/read\u0000",
        "resources/read\u200b",
        "Prompts/Get",
        "TOOLS/CALL",
        "Notifications/initialized",
        "PING",
      })
  void aKnownMethodSpelledOtherwiseIsRefusedEvenWhenUnknownMethodsPass(String method)
      throws Exception {
    startSidecar("--mcp-other-methods", "allow");
    JsonNode answer =
        post("files", request(1, method, "{\"uri\":\"file:///etc/passwd\",\"name\":\"x\"}"));
    assertThat(answer.path("error").path("code").asInt()).isEqualTo(-32601);
    assertThat(answer.path("error").path("message").asText()).contains("Method not allowed");
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void anUnknownMethodIsRefusedByNameUnlessTheOperatorAllowsUnknownMethods() throws Exception {
    startSidecar();
    JsonNode refused = post("files", request(1, "tasks/list", "{}"));
    assertThat(refused.path("error").path("code").asInt()).isEqualTo(-32601);
    assertThat(refused.path("error").path("message").asText())
        .isEqualTo("Method not allowed through the Tollgate MCP gateway: \"tasks/list\"");
    // An unknown notification has no answer to carry a refusal: dropped.
    assertThat(
            sidecar
                .post("/mcp/files", "{\"jsonrpc\":\"2.0\",\"method\":\"custom/poke\"}")
                .statusCode())
        .isEqualTo(202);
    assertThat(upstream.received).isEmpty();
    sidecar.close();
    sidecar = null;
    startSidecar("--mcp-other-methods", "allow");
    assertThat(post("files", request(1, "tasks/list", "{}")).has("result")).isTrue();
    assertThat(upstreamMethods()).containsExactly("tasks/list");
  }

  @Test
  void aNotificationWithAnIdIsARequestInDisguiseAndARequestWithoutOneIsNotDecided()
      throws Exception {
    startSidecar();
    JsonNode disguised = post("files", request(7, "notifications/cancelled", "{\"requestId\":1}"));
    assertThat(disguised.path("error").path("code").asInt()).isEqualTo(-32600);
    assertThat(
            sidecar
                .post(
                    "/mcp/files",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"resources/read\",\"params\":{\"uri\":\"file:///etc/passwd\"}}")
                .statusCode())
        .isEqualTo(202);
    assertThat(upstream.received).isEmpty();
    synchronized (sidecar.events) {
      assertThat(sidecar.events)
          .filteredOn(e -> e.type().wireName().equals("tool_call.denied"))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.tool()).isEqualTo(RESOURCE);
                assertThat(e.type().wireName()).isEqualTo("tool_call.denied");
                assertThat(e.message()).contains("sent as a notification");
              });
    }
  }

  @Test
  void aBatchIsDecidedElementByElementAndOnlyTheAllowedReachTheUpstream() throws Exception {
    startSidecar("--mcp-other-methods", "allow");
    ArrayNode batch = JsonRpc.JSON.createArrayNode();
    batch.add(JsonRpc.JSON.readTree(read(1, "file:///workspace/a.md")));
    batch.add(JsonRpc.JSON.readTree(read(2, "file:///workspace/%2e%2e/etc/passwd")));
    batch.add(JsonRpc.JSON.readTree(request(3, "Resources/Read", "{\"uri\":\"file:///etc/x\"}")));
    batch.add(JsonRpc.JSON.readTree(request(4, "prompts/get", "{\"name\":\"deploy\"}")));
    batch.add(JsonRpc.JSON.readTree(request(5, "ping", "{}")));
    batch.add(JsonRpc.JSON.readTree(request(6, "notifications/progress", "{}")));
    JsonNode answers = post("files", batch.toString());
    assertThat(answers.isArray()).isTrue();
    List<String> outcomes = new ArrayList<>();
    for (int id = 1; id <= 6; id++) {
      for (JsonNode answer : answers) {
        if (answer.path("id").asInt() == id) {
          outcomes.add(id + (answer.has("result") ? ":ok" : ":" + answer.at("/error/code")));
        }
      }
    }
    assertThat(outcomes)
        .containsExactly("1:ok", "2:-32602", "3:-32601", "4:-32602", "5:ok", "6:-32600");
    assertThat(upstreamMethods()).containsExactly("resources/read", "ping");
    assertThat(upstreamUris()).containsExactly("file:///workspace/a.md");
  }
}
