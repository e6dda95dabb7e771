package dev.tollgate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.model.IdentityDefinition;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.Problem;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tollgate validate}: everything the operator and the webhook would reject, offline. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    descriptionHeading = "%n",
    optionListHeading = "%nOptions:%n",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Every manifest and test file is valid.",
      "2:A problem was found (or a usage error).",
      ExitCode.INTERNAL_HELP
    },
    header = "Check manifests (and test files) and report every problem.",
    description = {
      "Check manifests: YAML syntax, kinds and versions, every field (unknown fields are errors), "
          + "CEL conditions (syntax, types, literal regular expressions), references between objects, "
          + "and that every AgentIdentity compiles into a bundle. ToolPolicyTest files found are checked too.",
      "Prints one line per problem on stderr: FILE: Kind/namespace/name: field: what is wrong. "
          + "-o json adds {valid, identities, counts, problems} on stdout; -o junit one testcase "
          + "per file read, failing with its problems."
    })
final class ValidateCommand implements Callable<Integer> {

  private static final String SUITE = "tollgate validate";

  @ParentCommand private TollgateCli cli;

  @Mixin private PolicySources sources;

  @Mixin private ReportFormat.Choice output;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    Instant started = Instant.now();
    LoadedPolicies policies = sources.load(cli.stdin());
    List<Problem> problems = new ArrayList<>(policies.problems());
    List<PolicyTestFile> tests =
        new PolicyTestFileParser(policies.set(), sources.namespace())
            .parseAll(policies.documents(), problems);
    PrintWriter out = spec.commandLine().getOut();
    switch (output.format) {
      case TEXT -> {
        if (problems.isEmpty()) {
          text(policies, tests, out);
        }
      }
      case JSON -> json(policies, tests, problems, out);
      case JUNIT ->
          JunitXml.write(
              SUITE,
              started,
              List.of(
                  new JunitXml.Suite(
                      SUITE,
                      "",
                      ProblemReport.junitCases(
                          "tollgate.validate", files(policies), problems, false))),
              out);
    }
    out.flush();
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return ExitCode.OK;
  }

  private static Set<String> files(LoadedPolicies policies) {
    Set<String> files = new LinkedHashSet<>();
    policies.documents().stream().map(ManifestLoader.Document::origin).forEach(files::add);
    return files;
  }

  private static void text(LoadedPolicies policies, List<PolicyTestFile> tests, PrintWriter out) {
    for (IdentityDefinition identity : policies.set().identities()) {
      Bundle bundle = policies.compile(identity.ref()).bundle().orElseThrow();
      out.printf(
          "%s: %s, %d scopes, %d policies, %d rules, bundle revision %s%n",
          identity.ref(),
          identity.mode().wireName(),
          bundle.scopes().size(),
          bundle.policies().size(),
          bundle.rules().size(),
          bundle.revision());
    }
    out.printf(
        "valid: %d AgentIdentity, %d ToolScope, %d ToolPolicy (%d rules), %d ToolPolicyTest (%d cases)%n",
        policies.set().identities().size(),
        policies.set().scopes().size(),
        policies.set().policies().size(),
        rules(policies),
        tests.size(),
        cases(tests));
  }

  private static void json(
      LoadedPolicies policies,
      List<PolicyTestFile> tests,
      List<Problem> problems,
      PrintWriter out) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("valid", problems.isEmpty());
    var identities = json.putArray("identities");
    if (problems.isEmpty()) {
      for (IdentityDefinition identity : policies.set().identities()) {
        Bundle bundle = policies.compile(identity.ref()).bundle().orElseThrow();
        identities
            .addObject()
            .put("identity", identity.ref().key())
            .put("mode", identity.mode().wireName())
            .put("scopes", bundle.scopes().size())
            .put("policies", bundle.policies().size())
            .put("rules", bundle.rules().size())
            .put("bundleRevision", bundle.revision());
      }
    }
    json.putObject("counts")
        .put("AgentIdentity", policies.set().identities().size())
        .put("ToolScope", policies.set().scopes().size())
        .put("ToolPolicy", policies.set().policies().size())
        .put("rules", rules(policies))
        .put("ToolPolicyTest", tests.size())
        .put("cases", cases(tests));
    json.set("problems", ProblemReport.json(problems));
    try {
      out.println(PolicyTestReport.JSON.writeValueAsString(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int rules(LoadedPolicies policies) {
    return policies.set().policies().stream().mapToInt(policy -> policy.rules().size()).sum();
  }

  private static int cases(List<PolicyTestFile> tests) {
    return tests.stream().mapToInt(t -> t.cases().size()).sum();
  }
}
