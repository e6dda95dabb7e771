package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void allow() throws Exception {
    JsonNode decision =
        eval(
            "agents/repo-coder",
            "alice",
            """
        {"tool_name": "Read", "tool_input": {"file_path": "src/main.py"}, "cwd": "/workspace"}""");

    assertThat(decision.path("decision").asText()).isEqualTo("allow");
    assertThat(decision.path("reasons")).containsExactly(JSON.valueToTree("RuleAllowed"));
    assertThat(decision.path("rules").get(0).asText())
        .isEqualTo("agents/workspace-files/read-workspace");
    assertThat(decision.path("bundleRevision").asText()).matches("[0-9a-f]{16}");
    assertThat(decision.path("resource").path("path").asText()).isEqualTo("/workspace/src/main.py");
    assertThat(decision.has("wouldDecide")).isFalse();
  }

  @Test
  void deny() throws Exception {
    JsonNode decision =
        eval(
            "agents/repo-coder",
            "alice",
            """
        {"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "git push --force"}, "cwd": "/workspace"}""");

    assertThat(decision.path("decision").asText()).isEqualTo("deny");
    assertThat(decision.path("reasons").get(0).asText()).isEqualTo("RuleDenied");
    assertThat(decision.path("rules").get(0).asText()).isEqualTo("agents/shell/no-force-push");
    assertThat(decision.path("message").asText()).startsWith("force pushes are not allowed");
  }

  @Test
  void approvalRequired() throws Exception {
    JsonNode decision =
        eval(
            "agents/repo-coder",
            "alice",
            """
        {"tool_name": "Bash", "tool_input": {"command": "npm publish"}, "cwd": "/workspace"}""");

    assertThat(decision.path("decision").asText()).isEqualTo("approval_required");
    assertThat(decision.path("rules").get(0).asText())
        .isEqualTo("agents/publishing/package-publish-needs-approval");
    assertThat(decision.path("approvers").get(0).asText()).isEqualTo("group:release-managers");
  }

  @Test
  void auditModeAllowsAndKeepsTheWouldBeDecision() throws Exception {
    JsonNode decision =
        eval(
            "agents/docs-writer",
            "",
            """
        {"tool_name": "Edit", "tool_input": {"file_path": "/workspace/src/main.go"}, "cwd": "/workspace"}""");

    assertThat(decision.path("decision").asText()).isEqualTo("allow");
    assertThat(decision.path("reasons").get(0).asText()).isEqualTo("AuditMode");
    assertThat(decision.path("wouldDecide").path("decision").asText()).isEqualTo("deny");
    assertThat(decision.path("wouldDecide").path("rules").get(0).asText())
        .isEqualTo("agents/docs-writer/only-doc-files");
  }

  @Test
  void delegationUsesPrincipalAndGroups() throws Exception {
    String input =
        """
        {"tool_name": "Read", "tool_input": {"file_path": "/workspace/a"}, "cwd": "/workspace"}""";

    CliRun byGroup =
        CliRun.withStdin(
            input,
            "eval",
            "-f",
            CliRun.EXAMPLES.toString(),
            "--identity",
            "agents/repo-coder",
            "--principal",
            "bob",
            "--group",
            "qa",
            "--group",
            "developers");
    CliRun outsider =
        CliRun.withStdin(
            input,
            "eval",
            "-f",
            CliRun.EXAMPLES.toString(),
            "--identity",
            "agents/repo-coder",
            "--principal",
            "mallory");

    assertThat(JSON.readTree(byGroup.out()).path("decision").asText()).isEqualTo("allow");
    assertThat(outsider.exitCode()).isZero();
    assertThat(JSON.readTree(outsider.out()).path("reasons").get(0).asText())
        .isEqualTo("DelegationNotAllowed");
  }

  @Test
  void inputFromAFile() throws Exception {
    Path input =
        Manifests.write(
            dir.resolve("call.json"),
            """
        {"tool_name": "WebFetch", "tool_input": {"url": "https://docs.github.com@evil.example/"}, "cwd": "/workspace"}""");

    CliRun run =
        CliRun.run(
            "eval",
            "-f",
            CliRun.EXAMPLES.toString(),
            "--identity",
            "agents/repo-coder",
            "--principal",
            "alice",
            "--input",
            input.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(JSON.readTree(run.out()).path("rules").get(0).asText())
        .isEqualTo("agents/web/no-credentials-in-url");
  }

  @Test
  void malformedJsonIsInvalidInputWithLocation() {
    CliRun run =
        CliRun.withStdin(
            "{\"tool_name\": \"Read\",\n  \"tool_input\": {oops}}",
            "eval",
            "-f",
            CliRun.EXAMPLES.toString(),
            "--identity",
            "agents/repo-coder");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines())
        .singleElement()
        .asString()
        .startsWith("<stdin>: invalid JSON at line 2, column 18: Unexpected character ('o'");
  }

  @Test
  void trailingGarbageIsMalformed() {
    CliRun run =
        CliRun.withStdin(
            "{\"tool_name\": \"Read\"} {}",
            "eval",
            "-f",
            CliRun.EXAMPLES.toString(),
            "--identity",
            "agents/repo-coder");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.err()).startsWith("<stdin>: invalid JSON at line 1, column 23: Trailing token");
  }

  @Test
  void hookInputWithoutToolName() {
    CliRun run =
        CliRun.withStdin(
            "{\"tool_input\": {}}",
            "eval",
            "-f",
            CliRun.EXAMPLES.toString(),
            "--identity",
            "agents/repo-coder");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines())
        .containsExactly("<stdin>: not a usable hook input: tool_name is required");
  }

  @Test
  void onlyPreToolUseIsDecided() {
    CliRun run =
        CliRun.withStdin(
            "{\"hook_event_name\": \"PostToolUse\", \"tool_name\": \"Read\"}",
            "eval",
            "-f",
            CliRun.EXAMPLES.toString(),
            "--identity",
            "agents/repo-coder");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines())
        .containsExactly(
            "<stdin>: not a usable hook input: hook_event_name is 'PostToolUse':"
                + " only PreToolUse calls are decided (PostToolUse events only record what ran)");
  }

  @Test
  void emptyInput() {
    CliRun run =
        CliRun.withStdin(
            "  \n", "eval", "-f", CliRun.EXAMPLES.toString(), "--identity", "agents/repo-coder");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines())
        .containsExactly(
            "<stdin>: empty: expected a Claude Code PreToolUse hook input (a JSON object)");
  }

  @Test
  void missingInputFile() {
    Path missing = dir.resolve("missing.json");

    CliRun run =
        CliRun.run(
            "eval",
            "-f",
            CliRun.EXAMPLES.toString(),
            "--identity",
            "agents/repo-coder",
            "--input",
            missing.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines())
        .containsExactly(missing + ": cannot read the hook input: no such file");
  }

  @Test
  void invalidPoliciesAreInvalidInput() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: read, tools: [Read], effect: Alow}
        """));

    CliRun run =
        CliRun.withStdin(
            "{\"tool_name\": \"Read\"}", "eval", "-f", dir.toString(), "--identity", "team/coder");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines())
        .containsExactly(
            dir.resolve("policy.yaml")
                + ": ToolPolicy/team/p: spec.rules[0].effect: unknown effect 'Alow' (expected Allow, Deny or RequireApproval)");
  }

  @Test
  void stdinCannotServeBothManifestsAndInput() {
    CliRun run = CliRun.withStdin("{}", "eval", "-f", "-", "--identity", "team/coder");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("-f - and --input - cannot both read standard input");
  }

  private static JsonNode eval(String identity, String principal, String input) throws Exception {
    CliRun run =
        CliRun.withStdin(
            input,
            "eval",
            "-f",
            CliRun.EXAMPLES.toString(),
            "--identity",
            identity,
            "--principal",
            principal);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).isEmpty();
    return JSON.readTree(run.out());
  }
}
