package dev.tollgate.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.DecisionRequest;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.hook.BadHookInputException;
import dev.tollgate.engine.hook.HookInput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate survey}: how a policy set treats a corpus of everyday shell commands. A guard
 * that asks a human about ordinary work trains people to approve without reading; this measures
 * that before the policy ships.
 */
@Command(
    name = "survey",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    descriptionHeading = "%n",
    optionListHeading = "%nOptions:%n",
    header = "Decide a file of Bash commands and count how many are allowed, held and denied.",
    description = {
      "Decides each line of the commands file (blank lines and lines starting with # are skipped) as a "
          + "Bash call of the identity, and prints the counts and every command that was not allowed, "
          + "with the rules that decided it.",
      "Exits 1 when fewer than --min-allowed per cent are allowed, 2 on bad input; else 0."
    },
    footer = {
      "",
      "Example:",
      "  tollgate survey -f examples/ --identity agents/repo-coder --principal alice \\",
      "    --commands examples/tests/corpus/everyday-commands.txt --min-allowed 95"
    })
final class SurveyCommand implements Callable<Integer> {

  @ParentCommand private TollgateCli cli;

  @Mixin private PolicySources sources;

  @Mixin private CallerOptions caller;

  @Option(
      names = "--cwd",
      paramLabel = "DIR",
      defaultValue = "/workspace",
      description = "The working directory the commands run in. Default: /workspace.")
  private String cwd = "/workspace";

  @Option(
      names = "--commands",
      required = true,
      paramLabel = "FILE",
      description = "One Bash command a line.")
  private Path commands;

  @Option(
      names = "--min-allowed",
      paramLabel = "PERCENT",
      defaultValue = "0",
      description = "Fail (exit 1) when fewer commands than this are allowed. Default: 0.")
  private double minAllowed;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    List<String> lines = readCommands();
    PolicyEngine engine = sources.load(cli.stdin()).engine(caller.identity);
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    List<String> notAllowed = new ArrayList<>();
    for (String line : lines) {
      Decision decision = engine.decide(request(line));
      counts.merge(decision.outcome(), 1, Integer::sum);
      if (decision.outcome() != Outcome.ALLOW) {
        String rules =
            decision.rules().isEmpty()
                ? String.join(", ", decision.reasonCodes())
                : String.join(", ", decision.rules());
        notAllowed.add(decision.outcome().wireName() + "\t" + line + "\t[" + rules + "]");
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    notAllowed.forEach(out::println);
    int allowed = counts.getOrDefault(Outcome.ALLOW, 0);
    int held = counts.getOrDefault(Outcome.APPROVAL_REQUIRED, 0);
    int denied = counts.getOrDefault(Outcome.DENY, 0);
    double percent = lines.isEmpty() ? 100 : 100.0 * allowed / lines.size();
    out.printf(
        Locale.ROOT,
        "%d commands: %d allowed (%.1f%%), %d held, %d denied%n",
        lines.size(),
        allowed,
        percent,
        held,
        denied);
    out.flush();
    return percent + 1e-9 < minAllowed ? 1 : 0;
  }

  private List<String> readCommands() {
    try {
      return Files.readAllLines(commands).stream()
          .filter(line -> !line.isBlank() && !line.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new InvalidInputException(
          commands.toString(), "cannot read the commands: " + e.getMessage());
    }
  }

  private DecisionRequest request(String command) {
    ObjectNode input = JsonNodeFactory.instance.objectNode();
    input.put("hook_event_name", HookInput.PRE_TOOL_USE);
    input.put("tool_name", "Bash");
    input.putObject("tool_input").put("command", command);
    input.put("cwd", cwd);
    try {
      return PreToolUseInput.parse(input)
          .toRequest(
              caller.principal,
              caller.groups,
              "",
              caller.identity.namespace(),
              null,
              Instant.now());
    } catch (BadHookInputException e) {
      throw new IllegalStateException("a Bash hook input built here is always readable", e);
    }
  }
}
