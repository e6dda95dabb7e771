package dev.tollgate.cli;

import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.engine.source.ProblemCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code tollgate test}: policy unit tests, for the pipeline that merges policy changes. */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    descriptionHeading = "%n",
    optionListHeading = "%nOptions:%n",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      ExitCode.OK_HELP,
      "1:A test case failed.",
      "2:Invalid manifests or test files, no test file, a usage error, or --run matching no case.",
      ExitCode.INTERNAL_HELP
    },
    header = "Run ToolPolicyTest files: expected decisions for tool calls.",
    description = {
      "Run the ToolPolicyTest files found under the -f paths against the Tollgate manifests found there.",
      "A test file: apiVersion cli.tollgate.dev/v1alpha1, kind ToolPolicyTest, metadata.name, "
          + "spec.identity (NS/NAME), spec.cases[]: {name, principal, groups, input (a Claude Code "
          + "PreToolUse hook input), expect (allow | deny | approval_required), expectRule "
          + "(namespace/policy/rule, optional), expectReason (e.g. RuleDenied, optional), "
          + "expectWouldDecide (Audit mode, optional)}.",
      "Text output: each failing case and a last line 'N passed, N failed'. -o json: every case "
          + "with its decision; -o junit: one testsuite per test file, one testcase per case."
    })
final class TestCommand implements Callable<Integer> {

  @ParentCommand private TollgateCli cli;

  @Mixin private PolicySources sources;

  @Mixin private ReportFormat.Choice output;

  @Option(
      names = "--run",
      paramLabel = "REGEX",
      converter = CaseNamePattern.class,
      description =
          "Run only the cases whose name contains a match of REGEX (Java syntax; anchor with ^ $). "
              + "Matching no case is an error.")
  private Pattern run;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    Instant started = Instant.now();
    PolicyTestReport report =
        new PolicyTestReport(output.format, spec.commandLine().getOut(), started);
    LoadedPolicies policies = sources.load(cli.stdin());
    List<Problem> problems = new ArrayList<>(policies.problems());
    List<PolicyTestFile> files =
        new PolicyTestFileParser(policies.set(), sources.namespace())
            .parseAll(policies.documents(), problems);
    if (files.isEmpty() && problems.isEmpty()) {
      problems.add(
          problem(
              "no ToolPolicyTest found (apiVersion "
                  + PolicyTestFile.API_VERSION
                  + ", kind "
                  + PolicyTestFile.KIND
                  + ")"));
    }
    List<PolicyTestFile> selected = problems.isEmpty() ? selected(files, problems) : files;
    if (!problems.isEmpty()) {
      Set<String> read = new LinkedHashSet<>();
      policies.documents().stream().map(ManifestLoader.Document::origin).forEach(read::add);
      report.invalid(problems, read);
      throw new InvalidInputException(problems);
    }
    PolicyTestRunner.Result result = new PolicyTestRunner(policies, started).run(selected);
    report.result(result);
    return result.failures().isEmpty() ? ExitCode.OK : ExitCode.FAILED;
  }

  /** The files with only the cases {@code --run} selects; a filter selecting none is a problem. */
  private List<PolicyTestFile> selected(List<PolicyTestFile> files, List<Problem> problems) {
    if (run == null) {
      return files;
    }
    List<PolicyTestFile> selected = new ArrayList<>();
    for (PolicyTestFile file : files) {
      List<PolicyTestCase> cases =
          file.cases().stream().filter(c -> run.matcher(c.name()).find()).toList();
      if (!cases.isEmpty()) {
        selected.add(new PolicyTestFile(file.origin(), file.object(), file.identity(), cases));
      }
    }
    if (selected.isEmpty()) {
      int cases = files.stream().mapToInt(f -> f.cases().size()).sum();
      problems.add(
          problem(
              "--run '"
                  + run.pattern()
                  + "' matches no test case (of "
                  + cases
                  + " in "
                  + files.size()
                  + " ToolPolicyTest)"));
    }
    return selected;
  }

  private Problem problem(String message) {
    return new Problem(
        ProblemCode.INVALID_INPUT, String.join(", ", sources.paths()), "", "", message);
  }

  /** Reads {@code --run}, naming what is wrong with a bad expression. */
  static final class CaseNamePattern implements ITypeConverter<Pattern> {
    @Override
    public Pattern convert(String value) {
      try {
        return Pattern.compile(value);
      } catch (PatternSyntaxException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a regular expression: " + e.getDescription());
      }
    }
  }
}
