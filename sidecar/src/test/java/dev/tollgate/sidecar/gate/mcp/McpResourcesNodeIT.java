package dev.tollgate.sidecar.gate.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.SidecarFixture;
import dev.tollgate.sidecar.audit.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resources, prompts and the protocol's utilities between the official TypeScript SDK's client and
 * server: reads and prompts decided as calls, listings filtered, utilities passed, a known method
 * in another spelling refused; the upstream's own log proves what reached it.
 */
@Timeout(120)
class McpResourcesNodeIT {

  static final String TOKEN = "it-upstream-token-5d1e";

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
          - name: gh
            url: URL
            tools: [read_file, resource, prompt]
            credentialsSecretRef: {name: gh-token, key: token}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolPolicy
      metadata: {name: mcp, namespace: team-a}
      spec:
        agents: {names: [coder]}
        rules:
          - name: workspace-resources
            tools: [mcp__gh__resource]
            when: "resource.scheme == 'file' && resource.path.startsWith('/workspace/')"
            effect: Allow
          - name: review-prompt
            tools: [mcp__gh__prompt]
            when: "args.name == 'review'"
            effect: Allow
          - name: not-for-prod
            tools: [mcp__gh__prompt]
            when: "has(args.arguments.env) && args.arguments.env == 'prod'"
            effect: Deny
            message: prompts are not for prod
      """;

  private static final String SCRIPT =
      """
      [{"op":"resources"},
       {"op":"templates"},
       {"op":"prompts"},
       {"op":"read","uri":"file:///workspace/readme.md"},
       {"op":"read","uri":"file:///etc/passwd"},
       {"op":"read","uri":"file:///workspace/%2e%2e/etc/shadow"},
       {"op":"subscribe","uri":"file:///workspace/readme.md"},
       {"op":"subscribe","uri":"file:///etc/passwd"},
       {"op":"unsubscribe","uri":"file:///workspace/readme.md"},
       {"op":"prompt","name":"review","args":{"env":"dev"}},
       {"op":"prompt","name":"review","args":{"env":"prod"}},
       {"op":"prompt","name":"deploy","args":{}},
       {"op":"ping"},
       {"op":"setLevel","level":"debug"},
       {"op":"complete","params":{"ref":{"type":"ref/prompt","name":"review"},"argument":{"name":"env","value":"d"}}},
       {"op":"raw","method":"Resources/Read","params":{"uri":"file:///etc/passwd"}},
       {"op":"raw","method":"tasks/list","params":{}},
       {"op":"terminate"}]
      """;

  @TempDir Path dir;

  @ParameterizedTest(name = "upstream {0}")
  @ValueSource(strings = {"--json", "--sse"})
  void resourcesAndPromptsAreDecidedAndUtilitiesPass(String mode) throws Exception {
    String[] flags = mode.equals("--json") ? new String[] {"--json"} : new String[0];
    Path credentials = dir.resolve("credentials");
    Files.createDirectories(credentials.resolve("gh"));
    Files.writeString(credentials.resolve("gh/token"), TOKEN + "\n");
    try (NodeMcp.Upstream upstream = NodeMcp.upstream(dir, TOKEN, flags);
        SidecarFixture sidecar =
            SidecarFixture.startWith(
                dir,
                POLICIES.replace("URL", upstream.url()),
                "--mcp-credentials-dir",
                credentials.toString())) {
      JsonNode out = NodeMcp.client(sidecar.url() + "/mcp/gh", SCRIPT);
      assertThat(out.has("connectError")).as(out.toString()).isFalse();
      JsonNode results = out.get("results");

      assertThat(McpGatewayNodeIT.names(results.get(0).path("resources")))
          .containsExactly("readme");
      assertThat(results.get(1).path("resourceTemplates")).hasSize(1);
      assertThat(McpGatewayNodeIT.names(results.get(2).path("prompts"))).containsExactly("review");

      assertThat(results.get(3).path("contents").get(0).path("text").asText())
          .isEqualTo("contents of file:///workspace/readme.md");
      for (int denied : new int[] {4, 5}) {
        assertThat(results.get(denied).path("error").path("code").asInt())
            .as(results.get(denied).toString())
            .isEqualTo(-32602);
        assertThat(results.get(denied).path("error").path("message").asText())
            .contains("resources/read denied by Tollgate");
      }
      assertThat(results.get(6).has("error")).isFalse();
      assertThat(results.get(7).path("error").path("message").asText())
          .contains("resources/subscribe denied by Tollgate");
      assertThat(results.get(8).has("error")).isFalse();

      assertThat(results.get(9).path("messages").get(0).path("content").path("text").asText())
          .isEqualTo("review for dev");
      assertThat(results.get(10).path("error").path("message").asText())
          .contains("prompts are not for prod");
      assertThat(results.get(11).path("error").path("code").asInt()).isEqualTo(-32602);

      for (int passed : new int[] {12, 13, 14}) {
        assertThat(results.get(passed).has("error")).as(results.get(passed).toString()).isFalse();
      }
      assertThat(results.get(14).path("completion").path("values").get(0).asText())
          .isEqualTo("dev");
      assertThat(results.get(15).path("error").path("code").asInt()).isEqualTo(-32601);
      assertThat(results.get(16).path("error").path("message").asText())
          .contains("Method not allowed through the Tollgate MCP gateway: \"tasks/list\"");

      List<String> uris = new ArrayList<>();
      List<String> prompts = new ArrayList<>();
      List<String> methods = new ArrayList<>();
      for (JsonNode entry : upstream.requests()) {
        assertThat(entry.path("auth").asBoolean()).as(entry.toString()).isTrue();
        entry.path("uris").forEach(uri -> uris.add(uri.asText()));
        entry.path("prompts").forEach(prompt -> prompts.add(prompt.asText()));
        entry.path("rpc").forEach(method -> methods.add(method.asText()));
      }
      assertThat(uris)
          .containsExactly(
              "file:///workspace/readme.md",
              "file:///workspace/readme.md",
              "file:///workspace/readme.md");
      assertThat(prompts).containsExactly("review");
      assertThat(methods)
          .contains("ping", "logging/setLevel", "completion/complete", "resources/unsubscribe")
          .doesNotContain("Resources/Read", "tasks/list");

      List<AuditEvent> events = List.copyOf(sidecar.events);
      assertThat(McpGatewayNodeIT.types(events, "mcp__gh__resource"))
          .containsExactly(
              "tool_call.attempted",
              "tool_call.allowed",
              "tool_call.executed",
              "tool_call.attempted",
              "tool_call.denied",
              "tool_call.attempted",
              "tool_call.denied",
              "tool_call.attempted",
              "tool_call.allowed",
              "tool_call.executed",
              "tool_call.attempted",
              "tool_call.denied");
      assertThat(McpGatewayNodeIT.types(events, "mcp__gh__prompt"))
          .containsExactly(
              "tool_call.attempted",
              "tool_call.allowed",
              "tool_call.executed",
              "tool_call.attempted",
              "tool_call.denied",
              "tool_call.attempted",
              "tool_call.denied");
      assertThat(events.toString()).doesNotContain(TOKEN);
    }
  }
}
