package dev.tollgate.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agenttests.model.ResponsesModel;
import dev.tollgate.agenttests.model.ToolCall;
import dev.tollgate.api.ApprovalMarks;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.webhook.injection.CodexManagedConfig;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Codex call held by the sidecar until a human approves it, under the same policy file as Claude
 * Code's approval test ({@link RealAgentMcpAndApprovalIT}): the ToolCallApproval lives in an in-JVM
 * API server the sidecar reaches through a kubeconfig, alice approves it, and the call runs, once.
 */
class CodexApprovalIT {

  private static final String CALL = "call_21_marker";
  private static final String NAMESPACE = "agents";

  @TempDir Path root;

  static Stream<Path> releases() {
    return Stream.of(Codex.PINNED, Codex.LATEST);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("releases")
  void aCallHeldForApprovalRunsOnceAliceApprovesIt(Path codex) throws Exception {
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
        ResponsesModel model =
            new ResponsesModel(
                List.of(
                    ToolCall.of(CALL, "exec_command", Map.of("cmd", "touch approved.marker"))))) {
      Path kubeconfig =
          Files.writeString(
              root.resolve("kubeconfig"),
              """
              apiVersion: v1
              kind: Config
              clusters: [{name: mock, cluster: {server: "http://127.0.0.1:%d"}}]
              users: [{name: it, user: {token: agent-it-token}}]
              contexts: [{name: mock, context: {cluster: mock, user: it, namespace: %s}}]
              current-context: mock
              """
                  .formatted(api.getPort(), NAMESPACE));
      Path bundle =
          Files.writeString(
              root.resolve("bundle.json"),
              RealAgentMcpAndApprovalIT.bundleJson("http://127.0.0.1:9/unused"));
      Codex.Run run;
      AuditTrail audit;
      CompletableFuture<String> approver;
      try (SidecarProcess sidecar =
          SidecarProcess.start(
              bundle,
              root,
              "/readyz",
              Map.of("KUBECONFIG", kubeconfig.toString()),
              "--approvals",
              "on")) {
        approver =
            CompletableFuture.supplyAsync(
                () -> RealAgentMcpAndApprovalIT.approveFirst(client, stop));
        run =
            Codex.run(
                codex,
                workspace,
                root.resolve("home"),
                CodexManagedConfig.configToml(
                    60, List.of(), HookSettings.HOOK_CLIENT.toString(), sidecar.url()),
                CodexManagedConfig.requirementsToml(List.of(), sidecar.url()),
                model.baseUrl(),
                List.of("--dangerously-bypass-approvals-and-sandbox"));
        sidecar.stop();
        audit = new AuditTrail(sidecar.audit());
      } finally {
        stop.set(true);
      }
      String approvalName = approver.get(5, TimeUnit.SECONDS);

      assertThat(run.exitCode()).as(run.describe()).isZero();
      assertThat(workspace.resolve("approved.marker")).as(run.describe()).exists();
      assertThat(model.resultFor(CALL).content()).doesNotContain("blocked");
      assertThat(audit.types(CALL))
          .containsExactly(
              "tool_call.attempted",
              "tool_call.approval_requested",
              "tool_call.approved",
              "tool_call.executed");
      ToolCallApproval approval =
          client
              .resources(ToolCallApproval.class)
              .inNamespace(NAMESPACE)
              .withName(approvalName)
              .get();
      assertThat(approval.getSpec().getTool()).isEqualTo("Bash");
      assertThat(approval.getMetadata().getAnnotations())
          .containsEntry(ApprovalMarks.CONSUMED_BY, CALL);
    } finally {
      api.destroy();
    }
  }
}
