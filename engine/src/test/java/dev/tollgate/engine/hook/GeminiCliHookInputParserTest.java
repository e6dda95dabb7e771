package dev.tollgate.engine.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.engine.hook.GeminiCliHookInput.CanonicalCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiCliHookInputParserTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A real BeforeTool input as @google/gemini-cli 0.61.0 sends it. */
  private static final String REAL_BEFORE_TOOL =
      """
      {"session_id":"db00e2ef","transcript_path":"/home/a/.gemini/tmp/ws/chats/s.jsonl",
       "cwd":"/workspace","hook_event_name":"BeforeTool","timestamp":"2026-12-02T16:11:43.102Z",
       "tool_name":"run_shell_command","tool_input":{"command":"echo hi > out.txt","description":"x"}}
      """;

  private static GeminiCliHookInput parse(String toolName, String toolInput) throws Exception {
    return GeminiCliHookInputParser.parse(
        JSON.readTree(
            """
            {"session_id":"s","cwd":"/workspace","hook_event_name":"BeforeTool",
             "tool_name":"%s","tool_input":%s}
            """
                .formatted(toolName, toolInput)));
  }

  @Test
  void mapsARealShellCallOntoBash() throws Exception {
    GeminiCliHookInput input = GeminiCliHookInputParser.parse(JSON.readTree(REAL_BEFORE_TOOL));
    assertThat(input.toolName()).isEqualTo("run_shell_command");
    assertThat(input.sessionId()).isEqualTo("db00e2ef");
    assertThat(input.calls()).hasSize(1);
    CanonicalCall call = input.calls().get(0);
    assertThat(call.tool()).isEqualTo("Bash");
    assertThat(call.input().path("command").asText()).isEqualTo("echo hi > out.txt");
    assertThat(call.cwd()).isEqualTo("/workspace");
  }

  @Test
  void theShellsDirPathIsWhereTheCommandRuns() throws Exception {
    assertThat(parse("run_shell_command", "{\"command\":\"ls\",\"dir_path\":\"sub\"}").calls())
        .singleElement()
        .satisfies(c -> assertThat(c.cwd()).isEqualTo("/workspace/sub"));
    assertThat(parse("run_shell_command", "{\"command\":\"ls\",\"dir_path\":\"/etc\"}").calls())
        .singleElement()
        .satisfies(c -> assertThat(c.cwd()).isEqualTo("/etc"));
  }

  @Test
  void readManyFilesIsOneReadPerPath() throws Exception {
    GeminiCliHookInput input =
        parse("read_many_files", "{\"include\":[\"a.txt\",\"/etc/shadow\",\"src/**/*.java\"]}");
    assertThat(input.calls())
        .extracting(c -> c.tool() + " " + c.input().path("file_path").asText())
        .containsExactly("Read a.txt", "Read /etc/shadow", "Read src/**/*.java");
  }

  @Test
  void webFetchIsOneFetchPerUrlOfThePrompt() throws Exception {
    GeminiCliHookInput input =
        parse(
            "web_fetch",
            "{\"prompt\":\"compare https://a.example/x and\\nhttp://b.example/y please\"}");
    assertThat(input.calls())
        .extracting(c -> c.tool() + " " + c.input().path("url").asText())
        .containsExactly("WebFetch https://a.example/x", "WebFetch http://b.example/y");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "read_file | {\"file_path\":\"a.txt\",\"start_line\":2} | Read | {\"file_path\":\"a.txt\"}",
        "write_file | {\"file_path\":\"a\",\"content\":\"c\"} | Write | {\"file_path\":\"a\",\"content\":\"c\"}",
        "replace | {\"file_path\":\"a\",\"old_string\":\"o\",\"new_string\":\"n\",\"instruction\":\"i\",\"allow_multiple\":true} | Edit | {\"file_path\":\"a\",\"old_string\":\"o\",\"new_string\":\"n\",\"replace_all\":true}",
        "glob | {\"pattern\":\"**/*.md\",\"dir_path\":\"docs\"} | Glob | {\"pattern\":\"**/*.md\",\"path\":\"docs\"}",
        "grep_search | {\"pattern\":\"x\",\"dir_path\":\"src\",\"include_pattern\":\"*.java\"} | Grep | {\"pattern\":\"x\",\"path\":\"src\",\"glob\":\"*.java\"}",
        "search_file_content | {\"pattern\":\"x\",\"include\":\"*.md\"} | Grep | {\"pattern\":\"x\",\"glob\":\"*.md\"}",
        "google_web_search | {\"query\":\"q\"} | WebSearch | {\"query\":\"q\"}",
        "list_directory | {\"dir_path\":\"/\"} | list_directory | {\"dir_path\":\"/\"}",
      })
  void mapsEachToolOntoItsCanonicalName(
      String tool, String input, String canonical, String canonicalInput) throws Exception {
    assertThat(parse(tool, input).calls())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.tool()).isEqualTo(canonical);
              assertThat(c.input()).isEqualTo(JSON.readTree(canonicalInput));
            });
  }

  @Test
  void mcpToolsAreNamedByTheirServerAndToolFromMcpContext() throws Exception {
    JsonNode body =
        JSON.readTree(
            """
            {"cwd":"/w","hook_event_name":"BeforeTool","tool_name":"mcp_issues_create_issue",
             "tool_input":{"title":"t"},
             "mcp_context":{"server_name":"issues","tool_name":"create_issue","url":"http://127.0.0.1:9440/mcp/issues"}}
            """);
    assertThat(GeminiCliHookInputParser.parse(body).calls())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.tool()).isEqualTo("mcp__issues__create_issue");
              assertThat(c.input().path("title").asText()).isEqualTo("t");
            });
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "mcp_issues_create_issue | {} | without mcp_context",
        "Bash | {\"command\":\"ls\"} | canonical name 'Bash'",
        "read_many_files | {\"include\":[]} | non-empty include",
        "read_many_files | {\"include\":[\"a\",7]} | every include entry",
        "run_shell_command | {\"command\":[\"rm\",\"-rf\",\"/\"]} | command must be a string",
        "run_shell_command | {} | needs command",
        "write_file | {\"content\":\"x\"} | needs file_path",
      })
  void refusesWhatItCannotMapSafely(String tool, String input, String message) {
    assertThatThrownBy(() -> parse(tool, input))
        .isInstanceOf(BadHookInputException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[] | must be a JSON object",
        "{\"tool_name\":\"x\"} | hook_event_name is required",
        "{\"hook_event_name\":\"AfterTool\",\"tool_name\":\"x\"} | unsupported hook_event_name 'AfterTool'",
        "{\"hook_event_name\":\"BeforeTool\"} | tool_name is required",
        "{\"hook_event_name\":\"BeforeTool\",\"tool_name\":\"x\",\"tool_input\":\"ls\"} | tool_input must be a JSON object",
        "{\"hook_event_name\":\"BeforeTool\",\"tool_name\":\"x\",\"cwd\":7} | cwd must be a string",
      })
  void refusesMalformedInput(String body, String message) {
    assertThatThrownBy(() -> GeminiCliHookInputParser.parse(JSON.readTree(body)))
        .isInstanceOf(BadHookInputException.class)
        .hasMessageContaining(message);
  }
}
