package dev.tollgate.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.AuditEventType;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code POST /v1/hooks/gemini-cli}: Gemini CLI's BeforeTool contract over real HTTP. */
class GeminiCliHookTest {

  private static final String HOOK = "/v1/hooks/gemini-cli";

  private static final String POLICIES =
      SidecarFixture.POLICIES.replace("MODE", "Enforce")
          + "    - {name: no-gemini-web, tools: [WebFetch], effect: Deny,"
          + " when: \"context.runtime == 'GeminiCli'\", message: \"no fetching from Gemini\"}\n";

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

  private static String beforeTool(String tool, String input) {
    return """
        {"session_id":"s-1","transcript_path":"/t.jsonl","cwd":"/workspace","hook_event_name":"BeforeTool",
         "timestamp":"2026-12-02T16:11:43.102Z","tool_name":"%s","tool_input":%s}
        """
        .formatted(tool, input);
  }

  @Test
  void allowsInExactlyTheShapeGeminiCliReads() throws Exception {
    HttpResponse<String> response =
        sidecar.post(HOOK, beforeTool("read_file", "{\"file_path\":\"/workspace/a.txt\"}"));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = SidecarFixture.JSON.readTree(response.body());
    assertThat(answer.fieldNames()).toIterable().containsExactly("decision", "reason");
    assertThat(answer.get("decision").asText()).isEqualTo("allow");
    assertThat(answer.get("reason").asText())
        .startsWith("Tollgate: ")
        .contains("team-a/coding/read");
    assertThat(sidecar.events)
        .filteredOn(e -> e.type() == AuditEventType.ALLOWED)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.source()).isEqualTo("gemini-cli-hook");
              assertThat(e.tool()).isEqualTo("Read");
              assertThat(e.sessionId()).isEqualTo("s-1");
            });
  }

  @Test
  void aShellCommandIsDecidedAsBashWithTheRuleMessage() throws Exception {
    JsonNode answer =
        sidecar.postJson(
            HOOK, beforeTool("run_shell_command", "{\"command\":\"r''m -rf /tmp/x\"}"));
    assertThat(answer.get("decision").asText()).isEqualTo("deny");
    assertThat(answer.get("reason").asText())
        .isEqualTo("Tollgate: rm is not allowed [RuleDenied; rule team-a/coding/no-rm]");
  }

  @Test
  void readManyFilesIsDeniedWhenOnePathIsAndEachPathIsAudited() throws Exception {
    JsonNode answer =
        sidecar.postJson(
            HOOK,
            beforeTool(
                "read_many_files",
                "{\"include\":[\"/workspace/a.txt\",\"/etc/shadow\",\"/workspace/b.txt\"]}"));
    assertThat(answer.get("decision").asText()).isEqualTo("deny");
    assertThat(answer.get("reason").asText()).doesNotContain("b.txt");
    List<AuditEvent> decided =
        sidecar.events.stream().filter(e -> e.type() != AuditEventType.ATTEMPTED).toList();
    assertThat(decided)
        .extracting(e -> e.tool() + " " + e.decision())
        .containsExactly("Read allow", "Read deny");
    assertThat(decided.get(0).correlationId()).isNotEqualTo(decided.get(1).correlationId());
  }

  @Test
  void policiesSeeTheClientAsContextRuntime() throws Exception {
    JsonNode answer =
        sidecar.postJson(HOOK, beforeTool("web_fetch", "{\"prompt\":\"read https://x.example/\"}"));
    assertThat(answer.get("decision").asText()).isEqualTo("deny");
    assertThat(answer.get("reason").asText()).contains("no fetching from Gemini");
    // The same call from Claude Code is not caught by the Gemini-only rule.
    JsonNode claude =
        sidecar.postJson(
            "/v1/hooks/claude-code",
            SidecarFixture.preToolUse("WebFetch", "{\"url\":\"https://x.example/\"}", "t-1"));
    assertThat(claude.at("/hookSpecificOutput/permissionDecisionReason").asText())
        .doesNotContain("no fetching from Gemini");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "not json | malformed JSON",
        "{\"hook_event_name\":\"AfterTool\",\"tool_name\":\"read_file\"} | unsupported hook_event_name",
        "{\"hook_event_name\":\"BeforeTool\",\"tool_name\":\"mcp_x_y\",\"tool_input\":{}} | without mcp_context",
        "{\"hook_event_name\":\"BeforeTool\",\"tool_name\":\"run_shell_command\",\"tool_input\":{\"command\":[\"rm\"]}} | must be a string",
      })
  void badInputGets400AndADenyGeminiCliReads(String body, String why) throws Exception {
    HttpResponse<String> response = sidecar.post(HOOK, body);
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode answer = SidecarFixture.JSON.readTree(response.body());
    assertThat(answer.get("decision").asText()).isEqualTo("deny");
    assertThat(answer.get("reason").asText()).contains(why);
    assertThat(sidecar.events)
        .extracting(AuditEvent::type)
        .containsExactly(AuditEventType.ATTEMPTED, AuditEventType.DENIED);
  }
}
