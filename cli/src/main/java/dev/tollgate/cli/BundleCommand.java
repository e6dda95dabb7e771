package dev.tollgate.cli;

import dev.tollgate.engine.bundle.BundleCodec;
import dev.tollgate.engine.bundle.Compilation;
import dev.tollgate.engine.source.ObjectRef;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate bundle}: the exact bundle document the operator would publish for one identity.
 */
@Command(
    name = "bundle",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    descriptionHeading = "%n",
    optionListHeading = "%nOptions:%n",
    header = "Print the bundle the operator would publish for one identity.",
    description = {
      "Compile one AgentIdentity's policy bundle and print it (canonical JSON: the same bytes, and so "
          + "the same revision, as the ConfigMap tollgate-bundle-<identity> the operator publishes).",
      "Fails, naming each problem, when the identity, one of its ToolScopes, a ToolPolicy that applies "
          + "to it, or any input file is invalid."
    })
final class BundleCommand implements Callable<Integer> {

  @ParentCommand private TollgateCli cli;

  @Mixin private PolicySources sources;

  @Option(
      names = "--identity",
      required = true,
      paramLabel = "NS/NAME",
      converter = IdentityRefConverter.class,
      description = "The AgentIdentity to compile, e.g. agents/repo-coder.")
  private ObjectRef identity;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the bundle to FILE instead of standard output.")
  private Path output;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    Compilation compilation = sources.load(cli.stdin()).compile(identity);
    if (!compilation.succeeded()) {
      throw new InvalidInputException(compilation.problems());
    }
    String json = BundleCodec.toJson(compilation.bundle().orElseThrow());
    if (output == null) {
      PrintWriter out = spec.commandLine().getOut();
      out.print(json);
      out.flush();
      return 0;
    }
    try {
      Files.writeString(output, json, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidInputException(
          output.toString(), "cannot write the bundle: " + e.getMessage());
    }
    return 0;
  }
}
