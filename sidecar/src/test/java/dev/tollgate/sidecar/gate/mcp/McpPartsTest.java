package dev.tollgate.sidecar.gate.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.bundle.BundleCompiler;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.Kind;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.ObjectRef;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.sidecar.ConfigException;
import dev.tollgate.sidecar.SidecarConfig;
import dev.tollgate.sidecar.core.PodContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JSON-RPC classification, header decoding, tool visibility and the gateway's settings. */
class McpPartsTest {

  private static JsonNode json(String text) throws Exception {
    return JsonRpc.JSON.readTree(text);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "tools/call|DECIDE",
        "resources/read|DECIDE",
        "resources/subscribe|DECIDE",
        "prompts/get|DECIDE",
        "resources/templates/list|FILTER",
        "prompts/list|FILTER",
        "completion/complete|PASS",
        "logging/setLevel|PASS",
        "resources/unsubscribe|PASS",
        "notifications/roots/list_changed|PASS",
        "notifications/anything-new|PASS",
        "tasks/get|UNKNOWN",
        "x-vendor/do|UNKNOWN",
        "logging/setlevel|DISGUISED",
        "resources/read/|DISGUISED",
        "resources//templates/list|DISGUISED",
        "'resources/read '|DISGUISED",
        "Notifications/progress|DISGUISED",
        "resources/rеad|DISGUISED",
        "''|DISGUISED",
      })
  void everyMethodHasOneHandling(String method, McpMethods.Handling handling) {
    assertThat(McpMethods.of(method)).as(method).isEqualTo(handling);
  }

  @Test
  void classifiesJsonRpcMessages() throws Exception {
    assertThat(JsonRpc.isWellFormed(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")))
        .isTrue();
    assertThat(JsonRpc.isRequest(json("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"ping\"}")))
        .isTrue();
    assertThat(
            JsonRpc.isNotification(
                json("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")))
        .isTrue();
    assertThat(JsonRpc.isResponse(json("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}"))).isTrue();
    for (String bad :
        List.of(
            "{\"id\":1,\"method\":\"ping\"}",
            "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}",
            "{\"jsonrpc\":\"2.0\",\"method\":7}",
            "{\"jsonrpc\":\"2.0\",\"id\":1}",
            "[]",
            "\"text\"")) {
      assertThat(JsonRpc.isWellFormed(json(bad))).as(bad).isFalse();
    }
    assertThat(JsonRpc.idKey(json("1"))).isNotEqualTo(JsonRpc.idKey(json("\"1\"")));
  }

  @Test
  void decodesTheBase64Sentinel() {
    assertThat(McpHeaders.decodeHeader("get_weather")).isEqualTo("get_weather");
    assertThat(McpHeaders.decodeHeader("=?base64?SGVsbG8sIOS4lueVjA==?=")).isEqualTo("Hello, 世界");
    assertThat(McpHeaders.decodeHeader("=?base64?not base64!?=")).isNull();
  }

  private static PolicyEngine engine(String rules, String delegation) throws Exception {
    String yaml =
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: coder, namespace: team-a}
        spec: {serviceAccountName: coder, toolScopes: [{name: s}]DELEGATION}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: s, namespace: team-a}
        spec: {mcpServers: [{name: db, url: "http://db.example/mcp", tools: [a, b, c, d]}]}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: p, namespace: team-a}
        spec:
          agents: {names: [coder]}
          rules:
        RULES"""
            .replace("DELEGATION", delegation)
            .replace("RULES", rules.indent(4));
    List<ManifestLoader.Document> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    new ManifestLoader().readText(yaml, "t.yaml", documents, problems);
    assertThat(problems).isEmpty();
    return PolicyEngine.load(
        new BundleCompiler()
            .compile(
                PolicySet.fromDocuments(documents, "default"),
                new ObjectRef(Kind.AGENT_IDENTITY, "team-a", "coder"))
            .bundle()
            .orElseThrow());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // tool | visible | why
        "mcp__db__a | true  | allowed unconditionally",
        "mcp__db__b | true  | an Allow rule that depends on args could allow it",
        "mcp__db__c | false | an unconditional Deny",
        "mcp__db__d | false | no rule could allow it whatever the args",
        "mcp__db__e | false | out of scope",
        "mcp__other__a | false | out of scope"
      })
  void aToolIsHiddenOnlyWhenEveryCallOfItWouldBeDenied(String tool, boolean visible, String why)
      throws Exception {
    PolicyEngine engine =
        engine(
            """
        - {name: a, tools: [mcp__db__a], effect: Allow}
        - {name: b, tools: [mcp__db__b], effect: Allow, when: "args.mode == 'safe'"}
        - {name: c-allow, tools: [mcp__db__c], effect: Allow}
        - {name: c, tools: [mcp__db__c], effect: Deny}
        - {name: d, tools: [mcp__db__d], effect: Deny, when: "args.force == true"}
        """,
            "");
    assertThat(
            new ToolVisibility(
                    new PodContext("p", "team-a", "", List.of(), "/root"), Clock.systemUTC())
                .visible(engine, tool, null))
        .as(why)
        .isEqualTo(visible);
  }

  @Test
  void argsDependentDenialsAndAnnotationDenialsAreToldApart() throws Exception {
    PolicyEngine engine =
        engine(
            """
        - {name: all, tools: ["mcp__db__*"], effect: Allow}
        - {name: risky-args, tools: [mcp__db__a], effect: Deny, when: "!has(args.dryRun)"}
        - {name: destructive, tools: [mcp__db__b], effect: Deny, when: "resource.annotations.destructiveHint == true"}
        """,
            "");
    ToolVisibility visibility =
        new ToolVisibility(
            new PodContext("p", "team-a", "", List.of(), "/root"), Clock.systemUTC());
    assertThat(visibility.visible(engine, "mcp__db__a", null)).isTrue();
    assertThat(visibility.visible(engine, "mcp__db__b", json("{\"destructiveHint\":true}")))
        .isFalse();
    // Without annotations the condition errors (no such key): a Deny that errored might not apply,
    // so shown.
    assertThat(visibility.visible(engine, "mcp__db__b", null)).isTrue();
    assertThat(visibility.visible(engine, "mcp__db__b", json("{\"destructiveHint\":false}")))
        .isTrue();
  }

  @Test
  void aPrincipalTheIdentityMayNotActForSeesNothing() throws Exception {
    PolicyEngine engine =
        engine(
            "- {name: all, tools: [\"mcp__db__*\"], effect: Allow}\n",
            ", delegation: {allowedPrincipals: [\"user:alice\"]}");
    assertThat(
            new ToolVisibility(
                    new PodContext("p", "team-a", "mallory", List.of(), "/root"), Clock.systemUTC())
                .visible(engine, "mcp__db__a", null))
        .isFalse();
    assertThat(
            new ToolVisibility(
                    new PodContext("p", "team-a", "alice", List.of(), "/root"), Clock.systemUTC())
                .visible(engine, "mcp__db__a", null))
        .isTrue();
  }

  @Test
  void settingsAreValidatedAtStartByName() throws Exception {
    SidecarConfig config =
        SidecarConfig.from(
            Map.of("TOLLGATE_MCP_DENIAL", "result"),
            new String[] {
              "--bundle", "/b.json", "--mcp-read-timeout-ms", "1500", "--mcp-other-methods", "allow"
            });
    assertThat(config.mcp().denial()).isEqualTo(McpSettings.Denial.RESULT);
    assertThat(config.mcp().readTimeout().toMillis()).isEqualTo(1500);
    assertThat(config.mcp().otherMethods()).isTrue();
    assertThat(config.mcp().credentialsDir().toString()).isEqualTo("/var/run/tollgate/mcp");
    assertThatThrownBy(
            () ->
                SidecarConfig.from(
                    Map.of("TOLLGATE_MCP_THREADS", "0"),
                    new String[] {
                      "--bundle",
                      "/b.json",
                      "--mcp-denial",
                      "silently",
                      "--mcp-connect-timeout-ms",
                      "x",
                      "--mcp-credentials-dir",
                      "relative",
                      "--mcp-max-response-bytes",
                      "12"
                    }))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .hasSize(5)
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith(
                                    "--mcp-denial (TOLLGATE_MCP_DENIAL) must be error or result")));
  }
}
