package dev.tollgate.cli;

import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.bundle.Compilation;
import dev.tollgate.engine.model.IdentityDefinition;
import dev.tollgate.engine.source.Problem;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
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
    header = "Check manifests (and test files) and report every problem.",
    description = {
      "Check manifests: YAML syntax, kinds and versions, every field (unknown fields are errors), "
          + "CEL conditions (syntax, types, literal regular expressions), references between objects, "
          + "and that every AgentIdentity compiles into a bundle. ToolPolicyTest files found are checked too.",
      "Prints one line per problem on stderr: FILE: Kind/namespace/name: field: what is wrong."
    })
final class ValidateCommand implements Callable<Integer> {

  @ParentCommand private TollgateCli cli;

  @Mixin private PolicySources sources;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    LoadedPolicies policies = sources.load(cli.stdin());
    List<Problem> problems = new ArrayList<>(policies.problems());
    List<PolicyTestFile> tests =
        new PolicyTestFileParser(policies.set(), sources.namespace())
            .parseAll(policies.documents(), problems);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    PrintWriter out = spec.commandLine().getOut();
    for (IdentityDefinition identity : policies.set().identities()) {
      Compilation compilation = policies.compile(identity.ref());
      Bundle bundle = compilation.bundle().orElseThrow();
      out.printf(
          "%s: %s, %d scopes, %d policies, %d rules, bundle revision %s%n",
          identity.ref(),
          identity.mode().wireName(),
          bundle.scopes().size(),
          bundle.policies().size(),
          bundle.rules().size(),
          bundle.revision());
    }
    int rules = policies.set().policies().stream().mapToInt(policy -> policy.rules().size()).sum();
    int cases = tests.stream().mapToInt(t -> t.cases().size()).sum();
    out.printf(
        "valid: %d AgentIdentity, %d ToolScope, %d ToolPolicy (%d rules), %d ToolPolicyTest (%d cases)%n",
        policies.set().identities().size(),
        policies.set().scopes().size(),
        policies.set().policies().size(),
        rules,
        tests.size(),
        cases);
    out.flush();
    return 0;
  }
}
