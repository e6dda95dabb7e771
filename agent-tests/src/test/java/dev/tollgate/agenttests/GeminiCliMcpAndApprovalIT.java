package dev.tollgate.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agenttests.RealAgentMcpAndApprovalIT.Upstream;
import dev.tollgate.agenttests.model.ScriptedGeminiModel;
import dev.tollgate.agenttests.model.ToolCall;
import dev.tollgate.agenttests.model.ToolResult;
import dev.tollgate.webhook.injection.GeminiCliSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Gemini CLI with an MCP server behind the sidecar's gateway, wired by the system
 * settings' {@code mcpServers} the webhook injects, and with a call held until a human approves it:
 * the same policy set and upstream as {@link RealAgentMcpAndApprovalIT}.
 */
@Timeout(180)
class GeminiCliMcpAndApprovalIT {

  private static final String SERVER = "upstream";
  private static final String TOKEN = "agent-it-upstream-token-5c1e";
  private static final int APPROVAL_TIMEOUT_SECONDS = 60;

  @TempDir Path root;

  @Test
  void mcpToolsAreDecidedUnderTheirCanonicalNamesAndTheDeniedOneNeverReachesTheUpstream()
      throws Exception {
    Path workspace = Files.createDirectories(root.resolve("workspace"));
    Path credentials = Files.createDirectories(root.resolve("credentials").resolve(SERVER));
    Files.writeString(credentials.resolve("token"), TOKEN + "\n");
    try (Upstream upstream = Upstream.start(root, TOKEN);
        ScriptedGeminiModel model =
            new ScriptedGeminiModel(
                List.of(
                    // Gemini CLI's own names for the gateway's tools: mcp_<server>_<tool>.
                    ToolCall.of("echo", "mcp_upstream_echo", Map.of("text", "hello via gemini")),
                    // Gemini CLI 0.61 headless does not offer the upstream's delete_repo
                    // (destructiveHint) at all: the deny is on echo's arguments.
                    ToolCall.of(
                        "leak", "mcp_upstream_echo", Map.of("text", "the password is hunter2"))))) {
      Path bundle =
          Files.writeString(
              root.resolve("bundle.json"), RealAgentMcpAndApprovalIT.bundleJson(upstream.url()));
      GeminiCli.Run run;
      List<JsonNode> events;
      String sidecarLog;
      try (SidecarProcess sidecar =
          SidecarProcess.start(
              bundle,
              root,
              "/readyz",
              "--mcp-credentials-dir",
              credentials.getParent().toString())) {
        Path settings = settings(sidecar.url(), List.of(SERVER));
        run =
            GeminiCli.run(
                "gemini-cli", workspace, root.resolve("home"), settings, model.baseUrl(), Map.of());
        sidecar.stop();
        events = sidecar.audit();
        sidecarLog = sidecar.log();
      }
      String context = run.describe() + "\naudit: " + events + "\nsidecar log: " + sidecarLog;

      assertThat(run.exitCode()).as(context).isZero();
      ToolResult echoed = model.resultFor("echo");
      assertThat(echoed.isError()).as("%s", echoed).isFalse();
      assertThat(echoed.content()).as(context).contains("hello via gemini");
      ToolResult refused = model.resultFor("leak");
      assertThat(refused.isError()).as("%s", refused).isTrue();
      assertThat(refused.content())
          .startsWith("Tool execution blocked: Tollgate: passwords are not echoed");
      assertThat(upstream.calledTools()).as(context).containsExactly("echo");
      assertThat(upstream.requests().toString()).doesNotContain("hunter2");

      List<JsonNode> hook =
          events.stream()
              .filter(e -> e.path("source").asText().equals("gemini-cli-hook"))
              .filter(e -> !e.path("type").asText().equals("tool_call.attempted"))
              .toList();
      assertThat(hook)
          .as(context)
          .extracting(e -> e.path("tool").asText() + " " + e.path("decision").asText())
          .containsExactly("mcp__upstream__echo allow", "mcp__upstream__echo deny");
      assertThat(events.toString()).doesNotContain(TOKEN);
    }
  }

  @Test
  void aShellCallHeldForApprovalRunsOnceAliceApprovesIt() throws Exception {
    Path workspace = Files.createDirectories(root.resolve("workspace"));
    KubernetesMockServer api =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    api.init(InetAddress.getLoopbackAddress(), 0);
    AtomicBoolean stop = new AtomicBoolean();
    try (KubernetesClient client = api.createClient();
        ScriptedGeminiModel model =
            new ScriptedGeminiModel(
                List.of(
                    ToolCall.of(
                        "held",
                        "run_shell_command",
                        Map.of("command", "touch approved.marker", "description", "mark"))))) {
      Path kubeconfig =
          Files.writeString(
              root.resolve("kubeconfig"),
              """
              apiVersion: v1
              kind: Config
              clusters: [{name: mock, cluster: {server: "http://127.0.0.1:%d"}}]
              users: [{name: it, user: {token: agent-it-token}}]
              contexts: [{name: mock, context: {cluster: mock, user: it, namespace: agents}}]
              current-context: mock
              """
                  .formatted(api.getPort()));
      Path bundle =
          Files.writeString(
              root.resolve("bundle.json"),
              RealAgentMcpAndApprovalIT.bundleJson("http://127.0.0.1:9/unused"));
      GeminiCli.Run run;
      List<JsonNode> events;
      CompletableFuture<String> approver;
      try (SidecarProcess sidecar =
          SidecarProcess.start(
              bundle,
              root,
              "/readyz",
              Map.of("KUBECONFIG", kubeconfig.toString()),
              "--approvals",
              "on")) {
        Path settings = settings(sidecar.url(), List.of());
        approver =
            CompletableFuture.supplyAsync(
                () -> RealAgentMcpAndApprovalIT.approveFirst(client, stop));
        run =
            GeminiCli.run(
                "gemini-cli", workspace, root.resolve("home"), settings, model.baseUrl(), Map.of());
        sidecar.stop();
        events = sidecar.audit();
      } finally {
        stop.set(true);
      }
      String approvalName = approver.get(5, TimeUnit.SECONDS);
      String context = run.describe() + "\naudit: " + events;

      assertThat(run.exitCode()).as(context).isZero();
      assertThat(workspace.resolve("approved.marker")).as(context).exists();
      assertThat(model.resultFor("held").isError()).isFalse();
      AuditTrail audit = new AuditTrail(events);
      assertThat(audit.correlationIds()).hasSize(1);
      String id = audit.correlationIds().iterator().next();
      assertThat(audit.types(id))
          .as(context)
          .containsExactly(
              "tool_call.attempted", "tool_call.approval_requested", "tool_call.approved");
      assertThat(audit.event(id, "tool_call.approved").toString()).contains(approvalName);
    } finally {
      api.destroy();
    }
  }

  /** The webhook's system settings for this identity (approval wait 60 s), at this sidecar. */
  private static Path settings(String url, List<String> mcpServers) throws Exception {
    String json =
        GeminiCliSettings.json(
            APPROVAL_TIMEOUT_SECONDS, mcpServers, HookSettings.HOOK_CLIENT.toString(), url);
    return GeminiCli.systemSettings((ObjectNode) new ObjectMapper().readTree(json));
  }
}
