package dev.tollgate.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.AuditEventType;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/hooks/codex} over real HTTP: Codex's answer shapes and one policy for both. */
class CodexHookHttpTest {

  private static final String CODEX = "/v1/hooks/codex";
  private static final String CLAUDE = "/v1/hooks/claude-code";

  private static final String POLICIES =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: coder, namespace: team-a}
      spec:
        serviceAccountName: coder
        toolScopes: [{name: base}]
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: base, namespace: team-a}
      spec: {tools: [Read, Edit, Write, Bash]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolPolicy
      metadata: {name: coding, namespace: team-a}
      spec:
        agents: {names: [coder]}
        rules:
          - {name: files, tools: [Read, Edit, Write], effect: Allow, when: "resource.path.startsWith('/workspace/')"}
          - {name: shell, tools: [Bash], effect: Allow}
          - {name: no-rm, tools: [Bash], when: "resource.program == 'rm'", effect: Deny, message: "rm is not allowed"}
          - {name: no-curl-from-codex, tools: [Bash], when: "context.runtime == 'Codex' && resource.program == 'curl'", effect: Deny, message: "Codex may not curl"}
          - {name: explorers-read-only, tools: [Edit, Write], when: "context.agentType == 'explorer'", effect: Deny, message: "explorer sub-agents only read"}
      """;

  @TempDir Path dir;
  private SidecarFixture sidecar;

  @BeforeEach
  void start() throws Exception {
    sidecar = SidecarFixture.startWith(dir, POLICIES);
  }

  @AfterEach
  void stop() {
    sidecar.close();
  }

  private static String codexInput(String tool, String inputJson, String id, String extra) {
    return """
        {"session_id":"s1","turn_id":"t1","transcript_path":null,"cwd":"/workspace",
         "hook_event_name":"PreToolUse","model":"gpt-5-codex","permission_mode":"bypassPermissions",
         "tool_name":"%s","tool_input":%s,"tool_use_id":"%s"%s}
        """
        .formatted(tool, inputJson, id, extra);
  }

  @Test
  void anAllowIsAnEmptyObject() throws Exception {
    HttpResponse<String> response =
        sidecar.post(CODEX, codexInput("Bash", "{\"command\":\"ls -la\"}", "call_1", ""));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{}");
    assertThat(sidecar.eventsFor("call_1"))
        .extracting(AuditEvent::type)
        .containsExactly(AuditEventType.ATTEMPTED, AuditEventType.ALLOWED);
  }

  @Test
  void aDenyCarriesTheReasonCodexRequires() throws Exception {
    JsonNode answer =
        sidecar.postJson(CODEX, codexInput("Bash", "{\"command\":\"rm -rf /tmp/x\"}", "c2", ""));
    assertThat(answer.at("/hookSpecificOutput/hookEventName").asText()).isEqualTo("PreToolUse");
    assertThat(answer.at("/hookSpecificOutput/permissionDecision").asText()).isEqualTo("deny");
    assertThat(answer.at("/hookSpecificOutput/permissionDecisionReason").asText())
        .isEqualTo("Tollgate: rm is not allowed [RuleDenied; rule team-a/coding/no-rm]");
  }

  @Test
  void malformedInputIsA400ThatStillDenies() throws Exception {
    HttpResponse<String> response = sidecar.post(CODEX, "{\"hook_event_name\":");
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode answer = SidecarFixture.JSON.readTree(response.body());
    assertThat(answer.at("/hookSpecificOutput/permissionDecision").asText()).isEqualTo("deny");
    assertThat(answer.at("/hookSpecificOutput/permissionDecisionReason").asText())
        .contains("malformed JSON");
    HttpResponse<String> noCommand =
        sidecar.post(CODEX, codexInput("Bash", "{\"cmd\":7}", "c3", ""));
    assertThat(noCommand.statusCode()).isEqualTo(400);
    assertThat(noCommand.body()).contains("tool_input.command must be a non-empty string or argv");
  }

  @Test
  void aPatchRunsOnlyIfEveryFileIsAllowedAndEachFileIsAudited() throws Exception {
    String patch =
        "{\"command\":\"apply_patch <<'EOF'\\n*** Begin Patch\\n*** Add File: ok.txt\\n+1\\n"
            + "*** Update File: /etc/hosts\\n@@\\n-a\\n+b\\n*** End Patch\\nEOF\\n\"}";
    JsonNode answer = sidecar.postJson(CODEX, codexInput("Bash", patch, "c4", ""));
    assertThat(answer.at("/hookSpecificOutput/permissionDecision").asText()).isEqualTo("deny");
    assertThat(sidecar.eventsFor("c4#1"))
        .extracting(AuditEvent::type)
        .containsExactly(AuditEventType.ATTEMPTED, AuditEventType.ALLOWED);
    assertThat(sidecar.eventsFor("c4#2"))
        .extracting(AuditEvent::type)
        .containsExactly(AuditEventType.ATTEMPTED, AuditEventType.DENIED);
    assertThat(sidecar.eventsFor("c4#2").get(1).tool()).isEqualTo("Edit");
  }

  @Test
  void contextRuntimeNamesTheClientSoOnePolicyCanTellThemApart() throws Exception {
    JsonNode codex =
        sidecar.postJson(CODEX, codexInput("Bash", "{\"command\":\"curl example.com\"}", "c5", ""));
    assertThat(codex.at("/hookSpecificOutput/permissionDecisionReason").asText())
        .contains("Codex may not curl");
    JsonNode claude =
        sidecar.postJson(
            CLAUDE, SidecarFixture.preToolUse("Bash", "{\"command\":\"curl example.com\"}", "c6"));
    assertThat(claude.at("/hookSpecificOutput/permissionDecision").asText()).isEqualTo("allow");
  }

  @Test
  void aClaudeCodeSubAgentsTypeIsVisibleToPoliciesToo() throws Exception {
    String input =
        SidecarFixture.preToolUse(
                "Write", "{\"file_path\":\"/workspace/a.txt\",\"content\":\"1\"}", "c9")
            .replace(
                "\"prompt_id\"", "\"agent_id\":\"a-2\",\"agent_type\":\"explorer\",\"prompt_id\"");
    JsonNode answer = sidecar.postJson(CLAUDE, input);
    assertThat(answer.at("/hookSpecificOutput/permissionDecisionReason").asText())
        .contains("explorer sub-agents only read");
  }

  @Test
  void aSubAgentsTypeIsVisibleToPolicies() throws Exception {
    String write =
        "{\"command\":\"apply_patch <<EOF\\n*** Begin Patch\\n*** Add File: a.txt\\n+1\\n*** End Patch\\nEOF\\n\"}";
    assertThat(sidecar.post(CODEX, codexInput("Bash", write, "c7", "")).body()).isEqualTo("{}");
    JsonNode explorer =
        sidecar.postJson(
            CODEX,
            codexInput("Bash", write, "c8", ",\"agent_id\":\"a-1\",\"agent_type\":\"explorer\""));
    assertThat(explorer.at("/hookSpecificOutput/permissionDecisionReason").asText())
        .contains("explorer sub-agents only read");
  }
}
