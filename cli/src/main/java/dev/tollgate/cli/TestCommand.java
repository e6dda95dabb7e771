package dev.tollgate.cli;

import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.engine.source.ProblemCode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tollgate test}: policy unit tests, for the pipeline that merges policy changes. */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    descriptionHeading = "%n",
    optionListHeading = "%nOptions:%n",
    header = "Run ToolPolicyTest files: expected decisions for tool calls.",
    description = {
      "Run the ToolPolicyTest files found under the -f paths against the Tollgate manifests found there.",
      "A test file: apiVersion cli.tollgate.dev/v1alpha1, kind ToolPolicyTest, metadata.name, "
          + "spec.identity (NS/NAME), spec.cases[]: {name, principal, groups, input (a Claude Code "
          + "PreToolUse hook input), expect (allow | deny | approval_required), expectRule "
          + "(namespace/policy/rule, optional), expectReason (e.g. RuleDenied, optional), "
          + "expectWouldDecide (Audit mode, optional)}.",
      "Prints each failing case and a last line 'N passed, N failed'. Exits 1 when a case fails or "
          + "when manifests or test files are invalid."
    })
final class TestCommand implements Callable<Integer> {

  @ParentCommand private TollgateCli cli;

  @Mixin private PolicySources sources;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    LoadedPolicies policies = sources.load(cli.stdin());
    List<Problem> problems = new ArrayList<>(policies.problems());
    List<PolicyTestFile> files =
        new PolicyTestFileParser(policies.set(), sources.namespace())
            .parseAll(policies.documents(), problems);
    if (files.isEmpty() && problems.isEmpty()) {
      problems.add(
          new Problem(
              ProblemCode.INVALID_INPUT,
              String.join(", ", sources.paths()),
              "",
              "",
              "no ToolPolicyTest found (apiVersion "
                  + PolicyTestFile.API_VERSION
                  + ", kind "
                  + PolicyTestFile.KIND
                  + ")"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    PolicyTestRunner.Result result = new PolicyTestRunner(policies, Instant.now()).run(files);
    PrintWriter out = spec.commandLine().getOut();
    result.failures().forEach(failure -> print(out, failure));
    out.printf("%d passed, %d failed%n", result.passed(), result.failures().size());
    out.flush();
    return result.failures().isEmpty() ? 0 : 1;
  }

  private static void print(PrintWriter out, PolicyTestRunner.Failure failure) {
    Decision decision = failure.decision();
    out.printf(
        "FAIL %s: %s: %s: %s%n",
        failure.file().origin(),
        failure.file().object(),
        failure.testCase().path(),
        failure.testCase().name());
    failure.mismatches().forEach(mismatch -> out.println("  " + mismatch));
    out.printf(
        "  decision: %s, reasons: %s, rules: %s%n",
        decision.outcome().wireName(),
        String.join(", ", decision.reasonCodes()),
        decision.rules().isEmpty() ? "none" : String.join(", ", decision.rules()));
    out.println("  message: " + decision.summary());
  }
}
