package dev.tollgate.sidecar.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sidecar.SidecarFixture;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.AuditEventType;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The approval flow through the sidecar's real HTTP endpoints, with the test as the human. */
class ApprovalFlowHttpTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String POLICIES =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: coder, namespace: team-a}
      spec:
        serviceAccountName: coder
        toolScopes: [{name: base}]
        approval: {timeoutSeconds: TIMEOUT, defaultApprovers: ["group:platform-approvers"]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: base, namespace: team-a}
      spec: {tools: [Read, Bash]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolPolicy
      metadata: {name: coding, namespace: team-a}
      spec:
        agents: {names: [coder]}
        rules:
          - {name: read, tools: [Read], effect: Allow}
          - {name: shell, tools: [Bash], effect: Allow}
          - {name: push, tools: [Bash], when: "resource.commands.exists(c, c.name == 'git' && c.git.pushes)", effect: RequireApproval, message: "pushes need approval"}
      """;
  private static final String PUSH = "{\"command\":\"git push origin main\"}";

  @TempDir Path dir;

  private final InMemoryApprovalStore store = new InMemoryApprovalStore("team-a");
  private SidecarFixture sidecar;

  @AfterEach
  void stop() {
    if (sidecar != null) {
      sidecar.close();
    }
  }

  private void start(int timeoutSeconds, String... args) throws Exception {
    sidecar =
        SidecarFixture.startWithApprovals(
            dir,
            POLICIES.replace("TIMEOUT", String.valueOf(timeoutSeconds)),
            new ApprovalBroker(store, Clock.systemUTC(), Duration.ofHours(1)),
            args);
  }

  @Test
  void theApproverSeesWhatADisguisedCommandReallyRuns() throws Exception {
    start(60);
    postAsync(
        preToolUse(
            "Bash",
            "{\"command\":\"P=main; g''it $'pu\\\\x73h' origin $P && python3 -c 'print(1)' > out.txt\"}",
            "toolu_disguised"));
    await().atMost(Duration.ofSeconds(5)).until(() -> store.asked().size() == 1);
    String summary = store.asked().get(0).summary();
    assertThat(summary.lines())
        .contains(
            "runs git push origin main  [via folded]",
            "runs python3 -c 'print(1)'",
            "code for python3 from argument: print(1)",
            "writes /workspace/out.txt");
  }

  @Test
  void aHeldCallRunsOnceTheApproverApprovesAndItsExecutionNamesTheApproval() throws Exception {
    start(60);
    CompletableFuture<HttpResponse<String>> held =
        postAsync(preToolUse("Bash", PUSH, "toolu_push"));
    await().atMost(Duration.ofSeconds(5)).until(() -> store.asked().size() == 1);
    NewApproval asked = store.asked().get(0);
    // The approver reads what will run, as the parser found it, below the line as given.
    assertThat(asked.summary()).isEqualTo("Bash: git push origin main\nruns git push origin main");
    assertThat(asked.approvers()).containsExactly("group:platform-approvers");
    assertThat(asked.pod()).isEqualTo("agent-0");
    assertThat(held).isNotDone();
    // What the on-call engineer's approval queue panel reads while the call waits.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(sidecar.metrics().scrape())
                    .contains("tollgate_approvals_held 1.0")
                    .contains("tollgate_approvals_requested_total{wait=\"held\"} 1.0")
                    .containsPattern("tollgate_approvals_oldest_wait_seconds 0\\.[0-9]*[1-9]"));

    store.decide("team-a/approval-1", true, "alice", "release day");
    JsonNode answer =
        JSON.readTree(held.get(5, TimeUnit.SECONDS).body()).path("hookSpecificOutput");
    assertThat(answer.path("permissionDecision").asText()).isEqualTo("allow");
    assertThat(answer.path("permissionDecisionReason").asText())
        .contains("approved by alice", "release day", "team-a/approval-1");

    sidecar.post("/v1/hooks/claude-code", postToolUse("Bash", PUSH, "toolu_push"));
    List<AuditEvent> trail =
        sidecar.events.stream().filter(e -> "toolu_push".equals(e.correlationId())).toList();
    assertThat(trail)
        .extracting(AuditEvent::type)
        .containsExactly(
            AuditEventType.ATTEMPTED,
            AuditEventType.APPROVAL_REQUESTED,
            AuditEventType.APPROVED,
            AuditEventType.EXECUTED);
    assertThat(trail.get(1).approval().name()).isEqualTo("team-a/approval-1");
    assertThat(trail.get(1).decision()).isEqualTo("approval_required");
    assertThat(trail.get(2).approval().decidedBy()).isEqualTo("alice");
    assertThat(trail.get(2).approval().reason()).isEqualTo("release day");
    assertThat(trail.get(2).decision()).isEqualTo("allow");
    assertThat(trail.get(3).approval().name()).isEqualTo("team-a/approval-1");
    assertThat(sidecar.metrics().scrape())
        .contains("tollgate_approvals_held 0.0")
        .contains("tollgate_approvals_oldest_wait_seconds 0.0")
        .contains("tollgate_approval_wait_seconds_count{outcome=\"approved\"} 1")
        .contains(
            "tollgate_decisions_total{decision=\"allow\",mode=\"enforce\",reason=\"ApprovalGranted\","
                + "source=\"claude-code-hook\",tool=\"Bash\"} 1.0");
  }

  @Test
  void aTimeoutDeniesNamingTheApprovalAndARetryAfterApprovalIsAllowedOnce() throws Exception {
    start(1);
    JsonNode first = hook(preToolUse("Bash", PUSH, "toolu_1"));
    assertThat(first.path("permissionDecision").asText()).isEqualTo("deny");
    assertThat(first.path("permissionDecisionReason").asText())
        .contains("team-a/approval-1", "ApprovalTimedOut");
    assertThat(sidecar.metrics().scrape())
        .contains("tollgate_approval_wait_seconds_count{outcome=\"timed_out\"} 1")
        .contains("tollgate_approvals_held 0.0");

    store.decide("team-a/approval-1", true, "alice", "");
    JsonNode retry = hook(preToolUse("Bash", PUSH, "toolu_2"));
    assertThat(retry.path("permissionDecision").asText()).isEqualTo("allow");

    // The approval is spent: the same call again asks for (and here times out on) a new one.
    JsonNode third = hook(preToolUse("Bash", PUSH, "toolu_3"));
    assertThat(third.path("permissionDecision").asText()).isEqualTo("deny");
    assertThat(third.path("permissionDecisionReason").asText()).contains("team-a/approval-2");
    // Other arguments were never covered by the first approval.
    assertThat(store.asked())
        .extracting(NewApproval::argsDigest)
        .hasSize(2)
        .containsOnly(store.asked().get(0).argsDigest());
  }

  @Test
  void aRejectionDeniesWithTheApproversReason() throws Exception {
    start(60);
    CompletableFuture<HttpResponse<String>> held = postAsync(preToolUse("Bash", PUSH, "toolu_r"));
    await().atMost(Duration.ofSeconds(5)).until(() -> store.asked().size() == 1);
    store.decide("team-a/approval-1", false, "alice", "not during the freeze");
    JsonNode answer =
        JSON.readTree(held.get(5, TimeUnit.SECONDS).body()).path("hookSpecificOutput");
    assertThat(answer.path("permissionDecision").asText()).isEqualTo("deny");
    assertThat(answer.path("permissionDecisionReason").asText())
        .contains("rejected by alice", "not during the freeze");
    assertThat(sidecar.events)
        .filteredOn(e -> e.type() == AuditEventType.REJECTED)
        .singleElement()
        .satisfies(e -> assertThat(e.decision()).isEqualTo("deny"));
    assertThat(sidecar.metrics().scrape())
        .contains("tollgate_approval_wait_seconds_count{outcome=\"rejected\"} 1");
  }

  @Test
  void authzenAnswersApprovalRequiredAtOnceWithTheApprovalsName() throws Exception {
    start(60);
    HttpResponse<String> response =
        sidecar.post(
            "/access/v1/evaluation",
            """
        {"subject": {"type": "agent", "id": "team-a/coder"}, "action": {"name": "Bash", "properties": %s},
         "resource": {"type": "tool"}, "context": {"cwd": "/workspace"}}
        """
                .formatted(PUSH));
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.path("decision").asBoolean()).isFalse();
    assertThat(answer.path("context").path("decision").asText()).isEqualTo("approval_required");
    assertThat(answer.path("context").path("approval").asText()).isEqualTo("team-a/approval-1");
  }

  @Test
  void heldCallsDoNotOccupyTheServersRequestThreads() throws Exception {
    start(60, "--threads", "1");
    List<CompletableFuture<HttpResponse<String>>> held =
        List.of(
            postAsync(preToolUse("Bash", PUSH, "toolu_a")),
            postAsync(preToolUse("Bash", "{\"command\":\"git push origin release\"}", "toolu_b")));
    await().atMost(Duration.ofSeconds(5)).until(() -> store.asked().size() == 2);
    JsonNode read =
        hook(preToolUse("Read", "{\"file_path\":\"/workspace/README.md\"}", "toolu_read"));
    assertThat(read.path("permissionDecision").asText()).isEqualTo("allow");
    assertThat(held).noneMatch(CompletableFuture::isDone);
  }

  @Test
  void approvalsOffOrUnreachableDenyTheCall() throws Exception {
    start(60);
    store.failing(true);
    JsonNode answer = hook(preToolUse("Bash", PUSH, "toolu_x"));
    assertThat(answer.path("permissionDecision").asText()).isEqualTo("deny");
    assertThat(answer.path("permissionDecisionReason").asText())
        .contains("could not be asked for", "unreachable");
  }

  private JsonNode hook(String body) throws Exception {
    return JSON.readTree(sidecar.post("/v1/hooks/claude-code", body).body())
        .path("hookSpecificOutput");
  }

  private CompletableFuture<HttpResponse<String>> postAsync(String body) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return sidecar.post("/v1/hooks/claude-code", body);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static String preToolUse(String tool, String input, String toolUseId) {
    return """
        {"session_id":"s-1","cwd":"/workspace","permission_mode":"default","hook_event_name":"PreToolUse",
         "tool_name":"%s","tool_input":%s,"tool_use_id":"%s"}"""
        .formatted(tool, input, toolUseId);
  }

  private static String postToolUse(String tool, String input, String toolUseId) {
    return """
        {"session_id":"s-1","cwd":"/workspace","hook_event_name":"PostToolUse","tool_name":"%s","tool_input":%s,
         "tool_use_id":"%s","tool_response":{"stdout":"ok"}}"""
        .formatted(tool, input, toolUseId);
  }
}
