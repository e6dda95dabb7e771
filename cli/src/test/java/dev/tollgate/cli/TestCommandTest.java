package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCommandTest {

  static final String CASES =
      """
      apiVersion: cli.tollgate.dev/v1alpha1
      kind: ToolPolicyTest
      metadata: {name: coder, namespace: team}
      spec:
        identity: team/coder
        cases:
          - name: reads are allowed
            input: {tool_name: Read, tool_input: {file_path: /src/a.go}}
            expect: allow
            expectRule: team/p/read
          - name: shell is denied
            input: {tool_name: Bash, tool_input: {command: ls}}
            expect: allow
            expectReason: RuleAllowed
          - name: wrong rule named
            input: {tool_name: Read, tool_input: {file_path: /src/a.go}}
            expect: allow
            expectRule: team/p/other
      """;

  @TempDir Path dir;

  @Test
  void examplesPass() {
    CliRun run = CliRun.run("test", "-f", CliRun.EXAMPLES.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo("574 passed, 0 failed\n");
  }

  @Test
  void failuresAreReportedAndExitOne() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: read, tools: [Read], effect: Allow}
            - {name: no-shell, tools: [Bash], effect: Deny, message: no shell here}
        """));
    Path tests = Manifests.write(dir.resolve("coder.policytest.yaml"), CASES);

    CliRun run = CliRun.run("test", "-f", dir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .isEqualTo(
            String.join(
                "\n",
                "FAIL " + tests + ": ToolPolicyTest/team/coder: spec.cases[1]: shell is denied",
                "  expected allow, got deny",
                "  expected reason RuleAllowed, got RuleDenied",
                "  decision: deny, reasons: RuleDenied, rules: team/p/no-shell",
                "  message: no shell here [RuleDenied; rule team/p/no-shell]",
                "FAIL " + tests + ": ToolPolicyTest/team/coder: spec.cases[2]: wrong rule named",
                "  expected rule team/p/other among the deciding rules, got team/p/read",
                "  decision: allow, reasons: RuleAllowed, rules: team/p/read",
                "  message: allowed by policy [RuleAllowed; rule team/p/read]",
                "1 passed, 2 failed",
                ""));
  }

  @Test
  void wouldDecideOnAnEnforcingIdentityIsAFailure() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: read, tools: [Read], effect: Allow}
        """));
    Manifests.write(
        dir.resolve("t.yaml"),
        """
        apiVersion: cli.tollgate.dev/v1alpha1
        kind: ToolPolicyTest
        metadata: {name: t}
        spec:
          identity: team/coder
          cases:
            - {name: audit, input: {tool_name: Read}, expect: allow, expectWouldDecide: allow}
        """);

    CliRun run = CliRun.run("test", "-f", dir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .contains(
            "  expected wouldDecide allow, but the identity is not in Audit mode (no wouldDecide)")
        .endsWith("0 passed, 1 failed\n");
  }

  @Test
  void invalidPoliciesStopTheRun() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: read, tools: [Read], effect: Allow, efect: Deny}
        """));
    Manifests.write(dir.resolve("coder.policytest.yaml"), CASES);

    CliRun run = CliRun.run("test", "-f", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines())
        .containsExactly(
            dir.resolve("policy.yaml")
                + ": ToolPolicy/team/p: spec.rules[0].efect: unknown field (known: approvers, effect, message, name, tools, when)");
  }

  @Test
  void testFileForAnUnknownIdentity() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: read, tools: [Read], effect: Allow}
        """));
    Path tests =
        Manifests.write(
            dir.resolve("t.yaml"), CASES.replace("identity: team/coder", "identity: team/coderr"));

    CliRun run = CliRun.run("test", "-f", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines())
        .containsExactly(
            tests
                + ": ToolPolicyTest/team/coder: spec.identity: AgentIdentity team/coderr not found in the given manifests (found: team/coder)");
  }

  @Test
  void wrongTestKindAndVersion() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: read, tools: [Read], effect: Allow}
        """));
    Path tests =
        Manifests.write(
            dir.resolve("t.yaml"),
            CASES
                .replace("cli.tollgate.dev/v1alpha1", "cli.tollgate.dev/v1")
                .replace("metadata:", "metdata:"));

    CliRun run = CliRun.run("test", "-f", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    String object = tests + ": ToolPolicyTest: ";
    assertThat(run.errLines())
        .containsExactly(
            object
                + "apiVersion: unsupported version cli.tollgate.dev/v1 (expected cli.tollgate.dev/v1alpha1)",
            object + "metdata: unknown field (known: apiVersion, kind, metadata, spec)",
            object + "metadata: is required");
  }

  @Test
  void noTestFilesIsAnError() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: read, tools: [Read], effect: Allow}
        """));

    CliRun run = CliRun.run("test", "-f", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines())
        .containsExactly(
            dir
                + ": no ToolPolicyTest found (apiVersion cli.tollgate.dev/v1alpha1, kind ToolPolicyTest)");
  }
}
