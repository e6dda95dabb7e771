package dev.tollgate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.DecisionJson;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.hook.BadHookInputException;
import dev.tollgate.engine.hook.HookInput;
import dev.tollgate.engine.hook.RequestJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tollgate eval}: what the sidecar would answer for one Claude Code tool call. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    descriptionHeading = "%n",
    optionListHeading = "%nOptions:%n",
    header = "Decide one Claude Code tool call as the sidecar would.",
    description = {
      "Decide one tool call as the sidecar would. The input is a Claude Code PreToolUse hook input "
          + "(tool_name, tool_input, cwd, session_id, permission_mode...; hook_event_name may be left out).",
      "Prints one JSON object: decision (allow | deny | approval_required), reasons, rules "
          + "(namespace/policy/rule), bundleRevision, message, the derived resource, and wouldDecide in Audit mode.",
      "Exits 0 whatever the decision; 1 only for bad input or invalid policies."
    },
    footer = {
      "",
      "Example:",
      "  echo '{\"tool_name\": \"Bash\", \"tool_input\": {\"command\": \"git push\"}}' |",
      "    tollgate eval -f examples/ --identity agents/repo-coder --principal alice"
    })
final class EvalCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = RequestJson.MAPPER;
  private static final ObjectWriter PRETTY = JSON.writer(prettyPrinter());

  @ParentCommand private TollgateCli cli;

  @Mixin private PolicySources sources;

  @Mixin private CallerOptions caller;

  @Option(
      names = "--input",
      paramLabel = "FILE|-",
      defaultValue = "-",
      description = "The hook input JSON file; '-' (the default) reads standard input.")
  private String input = "-";

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    if (input.equals(PolicySources.STDIN) && sources.readsStdin()) {
      throw new ParameterException(
          spec.commandLine(),
          "-f - and --input - cannot both read standard input; give the hook input with --input FILE");
    }
    HookInput hook = readInput();
    PolicyEngine engine = sources.load(cli.stdin()).engine(caller.identity);
    Decision decision =
        engine.decide(
            hook.toRequest(
                caller.principal,
                caller.groups,
                "",
                caller.identity.namespace(),
                null,
                Instant.now()));
    PrintWriter out = spec.commandLine().getOut();
    try {
      out.println(PRETTY.writeValueAsString(DecisionJson.toJson(decision)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
    return 0;
  }

  private HookInput readInput() {
    String origin = input.equals(PolicySources.STDIN) ? PolicySources.STDIN_ORIGIN : input;
    String text;
    try (InputStream in =
        input.equals(PolicySources.STDIN) ? cli.stdin() : Files.newInputStream(Path.of(input))) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidInputException(origin, "cannot read the hook input: " + describe(e));
    }
    if (text.isBlank()) {
      throw new InvalidInputException(
          origin, "empty: expected a Claude Code PreToolUse hook input (a JSON object)");
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      var location = e.getLocation();
      String where =
          location == null
              ? ""
              : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
      throw new InvalidInputException(
          origin,
          "invalid JSON" + where + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
    try {
      return PreToolUseInput.parse(node);
    } catch (BadHookInputException e) {
      throw new InvalidInputException(origin, "not a usable hook input: " + e.getMessage());
    }
  }

  /** The layout of jq and kubectl: {@code "key": value}, one array element a line. */
  private static DefaultPrettyPrinter prettyPrinter() {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withArrayEmptySeparator("")
                    .withObjectEmptySeparator(""));
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    return printer;
  }

  private static String describe(IOException e) {
    return e instanceof NoSuchFileException ? "no such file" : e.getMessage();
  }
}
