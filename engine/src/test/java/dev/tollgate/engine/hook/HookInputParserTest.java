package dev.tollgate.engine.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HookInputParserTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A real PreToolUse input as Claude Code 2.1 sends it, with fields Tollgate does not use. */
  private static final String REAL_PRE_TOOL_USE =
      """
      {"session_id":"0d3c-44","transcript_path":"/root/.claude/projects/x/0d3c.jsonl","cwd":"/workspace",
       "permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Bash",
       "tool_input":{"command":"git status","description":"Show status"},
       "tool_use_id":"toolu_01A","prompt_id":"p-1","effort":{"level":"medium"}}
      """;

  @Test
  void readsARealPreToolUseInputAndIgnoresUnknownFields() throws Exception {
    HookInput input = HookInputParser.parse(JSON.readTree(REAL_PRE_TOOL_USE));
    assertThat(input.hookEventName()).isEqualTo("PreToolUse");
    assertThat(input.toolName()).isEqualTo("Bash");
    assertThat(input.toolInput().path("command").asText()).isEqualTo("git status");
    assertThat(input.toolUseId()).isEqualTo("toolu_01A");
    assertThat(input.cwd()).isEqualTo("/workspace");
    assertThat(input.toolResponse()).isNull();
  }

  @Test
  void readsAPostToolUseResponse() throws Exception {
    JsonNode body =
        JSON.readTree(
            """
        {"hook_event_name":"PostToolUse","tool_name":"Read","tool_input":{"file_path":"/w/a"},
         "tool_use_id":"t1","tool_response":{"type":"text","file":{"filePath":"/w/a"}},"duration_ms":12}
        """);
    HookInput input = HookInputParser.parse(body);
    assertThat(input.toolResponse().path("type").asText()).isEqualTo("text");
  }

  @Test
  void readsTheErrorOfAPostToolUseFailure() throws Exception {
    HookInput input =
        HookInputParser.parse(
            JSON.readTree(
                "{\"hook_event_name\":\"PostToolUseFailure\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"make\"},"
                    + "\"tool_use_id\":\"t2\",\"error\":\"Exit code 2: no rule to make target\",\"is_interrupt\":false}"));
    assertThat(input.error()).isEqualTo("Exit code 2: no rule to make target");
  }

  @Test
  void aMissingToolInputIsAnEmptyObject() throws Exception {
    HookInput input =
        HookInputParser.parse(
            JSON.readTree("{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"TodoWrite\"}"));
    assertThat(input.toolInput().isObject()).isTrue();
    assertThat(input.toolInput().size()).isZero();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[]                                                                 | the hook input must be a JSON object",
        "{\"tool_name\":\"Bash\"}                                           | hook_event_name is required",
        "{\"hook_event_name\":\"Stop\",\"tool_name\":\"Bash\"}              | unsupported hook_event_name 'Stop'",
        "{\"hook_event_name\":\"PreToolUse\"}                               | tool_name is required",
        "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\" \"}           | tool_name is required",
        "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":7}               | tool_name must be a string",
        "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"B\",\"tool_input\":\"rm\"} | tool_input must be a JSON object",
        "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"B\",\"cwd\":[]} | cwd must be a string",
      })
  void refusesWhatItCannotDecideOn(String body, String message) throws Exception {
    JsonNode node = JSON.readTree(body);
    assertThatThrownBy(() -> HookInputParser.parse(node))
        .isInstanceOf(BadHookInputException.class)
        .hasMessageContaining(message);
  }

  @Test
  void refusesAnOverlongToolName() throws Exception {
    JsonNode node =
        JSON.readTree(
            "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"" + "x".repeat(257) + "\"}");
    assertThatThrownBy(() -> HookInputParser.parse(node)).hasMessageContaining("longer than 256");
  }
}
