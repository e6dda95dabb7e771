package dev.tollgate.cli;

import dev.tollgate.cli.approvals.ApprovalsCommand;
import dev.tollgate.cli.approvals.ApproveCommand;
import dev.tollgate.cli.approvals.RejectCommand;
import dev.tollgate.cli.approvals.ShowCommand;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InputStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code tollgate}: the Tollgate policy compiler and evaluator for GitOps pipelines and laptops.
 */
@Command(
    name = "tollgate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    descriptionHeading = "%n",
    optionListHeading = "%nOptions:%n",
    commandListHeading = "%nCommands:%n",
    description = {
      "Validate, compile, evaluate and test Tollgate policies (AgentIdentity, ToolScope, ToolPolicy) "
          + "offline, with the same compiler and engine as the operator and the sidecar; list and decide "
          + "ToolCallApprovals in a cluster (also as the kubectl plugin: kubectl tollgate approvals)."
    },
    subcommands = {
      ValidateCommand.class,
      BundleCommand.class,
      EvalCommand.class,
      TestCommand.class,
      SurveyCommand.class,
      ApprovalsCommand.class,
      ShowCommand.class,
      ApproveCommand.class,
      RejectCommand.class,
      HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      ExitCode.OK_HELP,
      ExitCode.FAILED_HELP,
      ExitCode.INVALID_HELP,
      ExitCode.INTERNAL_HELP
    },
    footer = {"", "Run 'tollgate COMMAND --help' for the options of one command."})
public final class TollgateCli {

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Show the stack trace of an internal error.")
  boolean debug;

  private final InputStream stdin;

  TollgateCli(InputStream stdin) {
    this.stdin = stdin;
  }

  public static void main(String[] args) {
    System.exit(commandLine(System.in).execute(args));
  }

  /** The configured command line; tests call this with their own stdin, stdout and stderr. */
  static CommandLine commandLine(InputStream stdin) {
    CommandLine commandLine = new CommandLine(new TollgateCli(stdin));
    commandLine.getCommandSpec().exitCodeOnInvalidInput(ExitCode.INVALID_INPUT);
    commandLine.setParameterExceptionHandler(TollgateCli::usageError);
    commandLine.setExecutionExceptionHandler(TollgateCli::failure);
    return commandLine;
  }

  InputStream stdin() {
    return stdin;
  }

  /** A short message instead of picocli's full usage text, which buries the actual mistake. */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("tollgate: " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  private static int failure(Exception e, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    if (e instanceof InvalidInputException invalid) {
      invalid.problems().forEach(err::println);
      err.flush();
      return ExitCode.INVALID_INPUT;
    }
    if (e instanceof KubernetesClientException || e instanceof IllegalArgumentException) {
      // The cluster cannot be reached or the kubeconfig is unusable: a user's problem, said
      // plainly.
      err.println(
          "tollgate: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      err.flush();
      return ExitCode.FAILED;
    }
    TollgateCli root = command.getCommandSpec().root().commandLine().getCommand();
    String what =
        e.getMessage() == null
            ? e.getClass().getName()
            : e.getClass().getSimpleName() + ": " + e.getMessage();
    if (root.debug) {
      err.println("tollgate: internal error: " + what);
      e.printStackTrace(err);
    } else {
      err.println(
          "tollgate: internal error: " + what + " (run again with --debug to see the stack trace)");
    }
    err.flush();
    return ExitCode.INTERNAL_ERROR;
  }
}
