package dev.tollgate.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agenttests.model.ResponsesModel;
import dev.tollgate.agenttests.model.ToolCall;
import dev.tollgate.webhook.injection.CodexManagedConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real Codex CLI (pinned and newest) with the identity's MCP server as the webhook wires it: at
 * the sidecar's gateway, from {@code /etc/codex/config.toml}. Codex runs the PreToolUse hook for
 * MCP tools as {@code mcp__<server>__<tool>}, the same name Claude Code uses, so the policy file of
 * {@link RealAgentMcpAndApprovalIT} decides both.
 */
class CodexMcpIT {

  private static final String SERVER = "upstream";
  private static final String TOKEN = "agent-it-upstream-token-5c1e";

  @TempDir Path root;

  static Stream<Path> releases() {
    return Stream.of(Codex.PINNED, Codex.LATEST);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("releases")
  void anAllowedMcpToolRunsThroughTheGatewayAndADeniedOneNeverReachesTheUpstream(Path codex)
      throws Exception {
    String allowed = "call_11_mcp_echo";
    String denied = "call_12_mcp_delete_repo";
    Path workspace = Files.createDirectories(root.resolve("workspace"));
    Path credentials = Files.createDirectories(root.resolve("credentials").resolve(SERVER));
    Files.writeString(credentials.resolve("token"), TOKEN + "\n");
    try (RealAgentMcpAndApprovalIT.Upstream upstream =
            RealAgentMcpAndApprovalIT.Upstream.start(root, TOKEN);
        ResponsesModel model =
            new ResponsesModel(
                List.of(
                    // Codex connects to MCP servers while the first turn starts: a model offered
                    // no mcp__upstream tools yet would not call one, so the script waits a turn.
                    ToolCall.of("call_10_warm_up", "exec_command", Map.of("cmd", "true")),
                    ToolCall.of(
                        allowed,
                        "mcp__upstream__echo",
                        Map.of("text", "hello through the gateway")),
                    ToolCall.of(
                        denied, "mcp__upstream__delete_repo", Map.of("repo", "acme/prod"))))) {
      Path bundle =
          Files.writeString(
              root.resolve("bundle.json"), RealAgentMcpAndApprovalIT.bundleJson(upstream.url()));
      Codex.Run run;
      AuditTrail audit;
      try (SidecarProcess sidecar =
          SidecarProcess.start(
              bundle,
              root,
              "/readyz",
              "--mcp-credentials-dir",
              credentials.getParent().toString())) {
        run =
            Codex.run(
                codex,
                workspace,
                root.resolve("home"),
                CodexManagedConfig.configToml(
                    60, List.of(SERVER), HookSettings.HOOK_CLIENT.toString(), sidecar.url()),
                CodexManagedConfig.requirementsToml(List.of(SERVER), sidecar.url()),
                model.baseUrl(),
                List.of("--dangerously-bypass-approvals-and-sandbox"));
        sidecar.stop();
        audit = new AuditTrail(sidecar.audit());
      }
      String context = run.describe() + "\nupstream: " + upstream.requests();

      assertThat(run.exitCode()).as(context).isZero();
      assertThat(model.resultFor(allowed).content())
          .as(context)
          .contains("hello through the gateway");
      assertThat(upstream.calledTools()).as(context).containsExactly("echo");
      assertThat(model.resultFor(denied).content())
          .contains("Tollgate: production repositories are never deleted by agents");
      assertThat(upstream.requests().toString()).doesNotContain("acme/prod");
      assertThat(audit.types(allowed))
          .as(context)
          .containsExactly("tool_call.attempted", "tool_call.allowed", "tool_call.executed");
      assertThat(audit.event(allowed, "tool_call.allowed").path("tool").asText())
          .isEqualTo("mcp__upstream__echo");
      assertThat(audit.types(denied)).containsExactly("tool_call.attempted", "tool_call.denied");
    }
  }
}
