package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

  @TempDir Path dir;

  @Test
  void examplesAreValid() {
    CliRun run = CliRun.run("validate", "-f", CliRun.EXAMPLES.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .contains(
            "AgentIdentity/agents/repo-coder: Enforce, 4 scopes, 9 policies, 46 rules, bundle revision ")
        .contains(
            "AgentIdentity/agents/docs-writer: Audit, 1 scopes, 6 policies, 16 rules, bundle revision ")
        .endsWith(
            "valid: 2 AgentIdentity, 5 ToolScope, 10 ToolPolicy (47 rules), 5 ToolPolicyTest (574 cases)\n");
  }

  @Test
  void validPoliciesExitZero() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: read, tools: [Read], effect: Allow}
        """));

    CliRun run = CliRun.run("validate", "-f", dir.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("valid: 1 AgentIdentity, 1 ToolScope, 1 ToolPolicy (1 rules)");
  }

  @Test
  void malformedYamlNamesFileAndLine() {
    Path file =
        Manifests.write(
            dir.resolve("broken.yaml"),
            """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata:
          name: p
         namespace: team
        """);

    CliRun run = CliRun.run("validate", "-f", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines()[0]).startsWith(file + ": invalid YAML at line 5, column 2: ");
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void unknownKindInTheTollgateGroup() {
    Path file =
        Manifests.write(
            dir.resolve("typo.yaml"),
            """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolcy
        metadata: {name: p, namespace: team}
        spec: {}
        """);

    CliRun run = CliRun.run("validate", "-f", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines())
        .containsExactly(
            file
                + ": ToolPolcy/team/p: kind: unknown kind ToolPolcy in tollgate.dev"
                + " (expected one of AgentIdentity, ToolScope, ToolPolicy, ToolCallApproval)");
  }

  @Test
  void missingToolScopeReference() {
    Path file = Manifests.write(dir.resolve("identity.yaml"), Manifests.IDENTITY);

    CliRun run = CliRun.run("validate", "-f", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines())
        .containsExactly(
            file
                + ": AgentIdentity/team/coder: spec.toolScopes[0].name: ToolScope team/base does not exist");
  }

  @Test
  void celSyntaxError() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - name: read
              tools: [Read]
              when: resource.path.startsWith(
              effect: Allow
        """));

    CliRun run = CliRun.run("validate", "-f", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines())
        .singleElement()
        .asString()
        .startsWith(
            dir.resolve("policy.yaml")
                + ": ToolPolicy/team/p: spec.rules[0].when: invalid CEL: line 1, column 26: ");
  }

  @Test
  void celTypeErrors() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: not-a-bool, tools: [Read], when: "resource.path + 1", effect: Allow}
            - {name: string-plus-int, tools: [Read], when: "tool + 1 == 2", effect: Deny}
        """));

    CliRun run = CliRun.run("validate", "-f", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    String policy = dir.resolve("policy.yaml") + ": ToolPolicy/team/p: ";
    assertThat(run.errLines()).hasSize(2);
    assertThat(run.errLines()[0])
        .isEqualTo(
            policy
                + "spec.rules[0].when: invalid CEL: line 1, column 15: expected type 'bool' but found 'int'");
    assertThat(run.errLines()[1])
        .startsWith(
            policy
                + "spec.rules[1].when: invalid CEL: line 1, column 6: found no matching overload for '_+_' applied to '(string, int)'");
  }

  @Test
  void invalidRegexInsideCel() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: bad-regex, tools: [Bash], when: "resource.command.matches('[')", effect: Deny}
        """));

    CliRun run = CliRun.run("validate", "-f", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines())
        .containsExactly(
            dir.resolve("policy.yaml")
                + ": ToolPolicy/team/p: spec.rules[0].when: invalid regular expression '[' in matches(): missing closing ]");
  }

  @Test
  void unknownEffect() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: permit, tools: [Bash], effect: Permit}
        """));

    CliRun run = CliRun.run("validate", "-f", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines())
        .containsExactly(
            dir.resolve("policy.yaml")
                + ": ToolPolicy/team/p: spec.rules[0].effect: unknown effect 'Permit' (expected Allow, Deny or RequireApproval)");
  }

  @Test
  void duplicateRuleNames() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: shell, tools: [Bash], effect: Allow}
            - {name: shell, tools: [Bash], effect: Deny}
        """));

    CliRun run = CliRun.run("validate", "-f", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines())
        .containsExactly(
            dir.resolve("policy.yaml")
                + ": ToolPolicy/team/p: spec.rules[1].name: duplicate rule name 'shell' (also at spec.rules[0])");
  }

  @Test
  void misspeltFieldIsAnErrorNotASilentlyDroppedDeny() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: no-shell, tools: [Bash], efect: Deny}
        """));

    CliRun run = CliRun.run("validate", "-f", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    String policy = dir.resolve("policy.yaml") + ": ToolPolicy/team/p: ";
    assertThat(run.errLines())
        .containsExactly(
            policy
                + "spec.rules[0].efect: unknown field (known: approvers, effect, message, name, tools, when)",
            policy + "spec.rules[0].effect: is required");
  }

  @Test
  void missingPathIsReportedWithTheOtherProblems() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: read, tools: [Read], effect: Allow}
        """));
    Path missing = dir.resolve("no-such-folder");

    CliRun run = CliRun.run("validate", "-f", dir.toString(), "-f", missing.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines()).containsExactly(missing + ": no such file or directory");
  }

  @Test
  void folderWithoutManifestsIsAnError() {
    Path empty = dir.resolve("empty");
    Manifests.write(empty.resolve("notes.txt"), "not yaml");

    CliRun run = CliRun.run("validate", "-f", empty.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines()).containsExactly(empty + ": no *.yaml or *.yml files in this folder");
  }

  @Test
  void compileProblemsNameTheFileOfTheObject() {
    Path file = dir.resolve("policy.yaml");
    Manifests.write(
        dir.resolve("identity.yaml"),
        Manifests.IDENTITY.replace("approval: {defaultApprovers: [\"group:leads\"]}", ""));
    Manifests.write(dir.resolve("scope.yaml"), Manifests.SCOPE);
    Manifests.write(
        file,
        Manifests.policy(
            """
            - {name: push, tools: [Bash], effect: RequireApproval}
        """));

    CliRun run = CliRun.run("validate", "-f", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines())
        .containsExactly(
            file
                + ": ToolPolicy/team/p: spec.rules[0].approvers: RequireApproval rule"
                + " 'push' names no approvers and AgentIdentity team/coder has no spec.approval.defaultApprovers: nobody could approve");
  }

  @Test
  void overlappingPathsReadEachFileOnce() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: read, tools: [Read], effect: Allow}
        """));

    CliRun run =
        CliRun.run("validate", "-f", dir.toString(), "-f", dir.resolve("policy.yaml").toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
  }

  @Test
  void manifestsFromStandardInput() {
    String all =
        Manifests.IDENTITY
            + "---\n"
            + Manifests.SCOPE
            + "---\n"
            + Manifests.policy(
                """
            - {name: read, tools: [Read], efect: Allow}
        """);

    CliRun run = CliRun.withStdin(all, "validate", "-f", "-");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines())
        .contains(
            "<stdin>: ToolPolicy/team/p: spec.rules[0].efect: unknown field (known: approvers, effect, message, name, tools, when)");
  }

  @Test
  void namespaceOptionAppliesToManifestsWithoutOne() {
    Path file =
        Manifests.write(
            dir.resolve("identity.yaml"),
            """
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: coder}
        spec:
          serviceAccountName: coder
          toolScopes: [{name: base}]
        """);

    CliRun run = CliRun.run("validate", "-f", file.toString(), "--namespace", "team-b");

    assertThat(run.errLines())
        .containsExactly(
            file
                + ": AgentIdentity/team-b/coder: spec.toolScopes[0].name: ToolScope team-b/base does not exist");
  }

  @Test
  void testFilesAreValidatedToo() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: read, tools: [Read], effect: Allow}
        """));
    Path tests =
        Manifests.write(
            dir.resolve("tests/bad.yaml"),
            """
        apiVersion: cli.tollgate.dev/v1alpha1
        kind: ToolPolicyTest
        metadata: {name: bad}
        spec:
          identity: team/coder
          cases:
            - name: typo
              input: {tool_name: Read, tool_input: {file_path: /x}}
              expcet: allow
            - input: {tool_name: Read}
              expect: allowed
            - name: no input
              expect: deny
            - name: post event
              input: {hook_event_name: PostToolUse, tool_name: Read}
              expect: deny
              expectReason: Denied
        """);

    CliRun run = CliRun.run("validate", "-f", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    String object = tests + ": ToolPolicyTest/default/bad: ";
    assertThat(run.errLines())
        .containsExactly(
            object
                + "spec.cases[0].expcet: unknown field (known: expect, expectReason, expectRule, expectWouldDecide, groups, input, name, principal)",
            object + "spec.cases[0].expect: is required",
            object + "spec.cases[1].name: is required",
            object
                + "spec.cases[1].expect: must be allow, deny or approval_required, got 'allowed'",
            object + "spec.cases[2].input: is required",
            object
                + "spec.cases[3].input: hook_event_name is 'PostToolUse': only PreToolUse calls are decided (PostToolUse events only record what ran)",
            object
                + "spec.cases[3].expectReason: unknown reason 'Denied' (expected one of ApprovalGranted, ApprovalRejected,"
                + " ApprovalRequired, ApprovalTimedOut, AuditMode, BadRequest, ConditionError, DelegationNotAllowed,"
                + " DelegationRequired, NoBundle, NoRuleAllows, OutOfScope, RuleAllowed, RuleDenied)");
  }
}
