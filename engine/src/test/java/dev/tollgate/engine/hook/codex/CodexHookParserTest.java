package dev.tollgate.engine.hook.codex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.engine.hook.BadHookInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodexHookParserTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A real PreToolUse input as Codex 0.169.1 wrote it for an exec_command call. */
  private static final String REAL_PRE_TOOL_USE =
      """
      {"session_id":"01a23784-2148","turn_id":"01a23784-215c","transcript_path":"/h/rollout.jsonl",
       "cwd":"/workspace","hook_event_name":"PreToolUse","model":"gpt-5-codex",
       "permission_mode":"bypassPermissions","tool_name":"Bash",
       "tool_input":{"command":"echo hi > made.txt; ls"},"tool_use_id":"call_0_0"}
      """;

  @Test
  void readsARealCodexPreToolUseInput() throws Exception {
    CodexHookInput input = CodexHookParser.parse(JSON.readTree(REAL_PRE_TOOL_USE));
    assertThat(input.hookEventName()).isEqualTo("PreToolUse");
    assertThat(input.clientTool()).isEqualTo("Bash");
    assertThat(input.toolUseId()).isEqualTo("call_0_0");
    assertThat(input.cwd()).isEqualTo("/workspace");
    assertThat(input.calls()).hasSize(1);
    assertThat(input.calls().get(0).tool()).isEqualTo("Bash");
    assertThat(input.calls().get(0).input().path("command").asText())
        .isEqualTo("echo hi > made.txt; ls");
  }

  @Test
  void readsTheSubAgentThatMadeTheCall() throws Exception {
    ObjectNode body = (ObjectNode) JSON.readTree(REAL_PRE_TOOL_USE);
    body.put("agent_id", "agent-7").put("agent_type", "explorer");
    CodexHookInput input = CodexHookParser.parse(body);
    assertThat(input.agentId()).isEqualTo("agent-7");
    assertThat(input.agentType()).isEqualTo("explorer");
  }

  @Test
  void anArgvIsQuotedSoNoWordBecomesASecondCommand() throws Exception {
    assertThat(bash(List.of("ls", "; rm -rf /"))).isEqualTo("ls '; rm -rf /'");
    assertThat(bash(List.of("echo", "it's"))).isEqualTo("echo 'it'\\''s'");
    assertThat(bash(List.of("cat", "$(id)", "`id`"))).isEqualTo("cat '$(id)' '`id`'");
  }

  @Test
  void aShellDashCArgvIsTheScriptItRuns() throws Exception {
    assertThat(bash(List.of("bash", "-lc", "git push --force origin main")))
        .isEqualTo("git push --force origin main");
    assertThat(bash(List.of("/bin/sh", "-c", "rm -rf /"))).isEqualTo("rm -rf /");
    // Extra words become $0 and $1 of the script: quoted whole, the parser still follows -c.
    assertThat(bash(List.of("bash", "-c", "rm -rf \"$1\"", "x", "/")))
        .isEqualTo("bash -c 'rm -rf \"$1\"' x /");
  }

  @Test
  void anApplyPatchHeredocIsOneCallPerFile() throws Exception {
    List<CanonicalCall> calls =
        calls(
            "Bash",
            command(
                """
                apply_patch <<'PATCH'
                *** Begin Patch
                *** Add File: notes/a.txt
                +hello
                +world
                *** Update File: src/main.c
                @@ int main
                -  return 1;
                +  return 0;
                *** Delete File: old.txt
                *** End Patch
                PATCH"""));
    assertThat(calls).extracting(CanonicalCall::tool).containsExactly("Write", "Edit", "Write");
    assertThat(calls.get(0).input().path("file_path").asText()).isEqualTo("notes/a.txt");
    assertThat(calls.get(0).input().path("content").asText()).isEqualTo("hello\nworld");
    assertThat(calls.get(1).input().path("file_path").asText()).isEqualTo("src/main.c");
    assertThat(calls.get(1).input().path("old_string").asText()).isEqualTo("  return 1;");
    assertThat(calls.get(1).input().path("new_string").asText()).isEqualTo("  return 0;");
    assertThat(calls.get(2).input().path("file_path").asText()).isEqualTo("old.txt");
    assertThat(calls.get(2).input().path("delete").asBoolean()).isTrue();
  }

  @Test
  void aMoveIsAnEditOfTheSourceAndAWriteOfTheDestination() throws Exception {
    List<CanonicalCall> calls =
        calls(
            "apply_patch",
            command(
                "*** Begin Patch\n*** Update File: a.txt\n*** Move to: ../../etc/cron.d/x\n"
                    + "@@\n-a\n+b\n*** End Patch\n"));
    assertThat(calls).extracting(CanonicalCall::tool).containsExactly("Edit", "Write");
    assertThat(calls.get(1).input().path("file_path").asText()).isEqualTo("../../etc/cron.d/x");
  }

  @Test
  void aCdPrefixPutsThePatchPathsUnderThatDirectory() throws Exception {
    List<CanonicalCall> calls =
        calls(
            "Bash",
            command(
                "cd ../other && apply_patch <<EOF\n*** Begin Patch\n*** Add File: x.txt\n+1\n"
                    + "*** End Patch\nEOF\n"));
    assertThat(calls.get(0).input().path("file_path").asText()).isEqualTo("../other/x.txt");
  }

  @Test
  void anythingAfterThePatchKeepsItAShellCommand() throws Exception {
    String smuggled =
        "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: ok.txt\n+1\n*** End Patch\nEOF\n"
            + "rm -rf ~\n";
    List<CanonicalCall> calls = calls("Bash", command(smuggled));
    assertThat(calls).extracting(CanonicalCall::tool).containsExactly("Bash");
    assertThat(calls.get(0).input().path("command").asText()).isEqualTo(smuggled);
  }

  @Test
  void anArgvApplyPatchIsReadAsAPatch() throws Exception {
    ObjectNode input = JSON.createObjectNode();
    input
        .putArray("command")
        .add("apply_patch")
        .add("*** Begin Patch\n*** Add File: /etc/passwd\n+x\n*** End Patch");
    assertThat(calls("shell", input))
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.tool()).isEqualTo("Write");
              assertThat(call.input().path("file_path").asText()).isEqualTo("/etc/passwd");
            });
  }

  @Test
  void aMalformedPatchIsRefused() {
    assertThatThrownBy(() -> calls("apply_patch", command("*** Add File: x\n+1\n")))
        .isInstanceOf(BadHookInputException.class)
        .hasMessageContaining("Begin Patch");
    assertThatThrownBy(
            () ->
                calls(
                    "apply_patch",
                    command("*** Begin Patch\n*** Frobnicate File: x\n*** End Patch")))
        .isInstanceOf(BadHookInputException.class)
        .hasMessageContaining("not a file header");
    assertThatThrownBy(() -> calls("apply_patch", command("*** Begin Patch\n*** End Patch")))
        .isInstanceOf(BadHookInputException.class)
        .hasMessageContaining("names no file");
  }

  @Test
  void otherToolsGetTheirNearestCanonicalName() throws Exception {
    ObjectNode image = JSON.createObjectNode().put("path", "shot.png");
    assertThat(calls("view_image", image).get(0).tool()).isEqualTo("Read");
    assertThat(calls("view_image", image).get(0).input().path("file_path").asText())
        .isEqualTo("shot.png");
    ObjectNode mcp = JSON.createObjectNode().put("owner", "acme");
    assertThat(calls("mcp__github__get_me", mcp).get(0).tool()).isEqualTo("mcp__github__get_me");
    assertThat(calls("write_stdin", JSON.createObjectNode()).get(0).tool())
        .isEqualTo("write_stdin");
  }

  @Test
  void aWorkdirIsWhereTheCallRuns() throws Exception {
    ObjectNode body = (ObjectNode) JSON.readTree(REAL_PRE_TOOL_USE);
    ((ObjectNode) body.get("tool_input")).put("workdir", "../etc");
    assertThat(CodexHookParser.parse(body).cwd()).isEqualTo("/etc");
    ((ObjectNode) body.get("tool_input")).put("workdir", "/srv/x/../y");
    assertThat(CodexHookParser.parse(body).cwd()).isEqualTo("/srv/y");
  }

  @Test
  void malformedInputsAreRefusedWithAClearReason() throws Exception {
    assertRefused("[]", "must be a JSON object");
    assertRefused("{\"tool_name\":\"Bash\",\"tool_input\":{}}", "hook_event_name is required");
    assertRefused(
        "{\"hook_event_name\":\"Stop\",\"tool_name\":\"Bash\",\"tool_input\":{}}",
        "unsupported hook_event_name 'Stop'");
    assertRefused(
        "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":\"ls\"}",
        "tool_input must be a JSON object");
    assertRefused(
        "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":{}}",
        "tool_input.command must be a non-empty string or argv");
    assertRefused(
        "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
            + "\"tool_input\":{\"command\":[\"ls\",7]}}",
        "every word of the command argv must be a string");
    assertRefused(
        "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"cwd\":7,"
            + "\"tool_input\":{\"command\":\"ls\"}}",
        "cwd must be a string");
  }

  private static void assertRefused(String json, String message) {
    assertThatThrownBy(() -> CodexHookParser.parse(JSON.readTree(json)))
        .isInstanceOf(BadHookInputException.class)
        .hasMessageContaining(message);
  }

  private static ObjectNode command(String command) {
    return JSON.createObjectNode().put("command", command);
  }

  private static String bash(List<String> argv) throws Exception {
    ObjectNode input = JSON.createObjectNode();
    var array = input.putArray("command");
    argv.forEach(array::add);
    List<CanonicalCall> calls = calls("shell", input);
    assertThat(calls).extracting(CanonicalCall::tool).containsExactly("Bash");
    return calls.get(0).input().path("command").asText();
  }

  private static List<CanonicalCall> calls(String tool, ObjectNode toolInput) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.put("hook_event_name", "PreToolUse").put("tool_name", tool).put("cwd", "/workspace");
    body.set("tool_input", toolInput);
    return CodexHookParser.parse(body).calls();
  }
}
