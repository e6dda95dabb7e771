package dev.tollgate.cli;

import dev.tollgate.cli.approvals.ApprovalsCommand;
import dev.tollgate.cli.approvals.ApproveCommand;
import dev.tollgate.cli.approvals.RejectCommand;
import dev.tollgate.cli.approvals.ShowCommand;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
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

  /**
   * Set (to {@code 1}) by {@code bin/kubectl-tollgate}: the command line is then the kubectl
   * plugin, {@code kubectl tollgate}, with only the approval commands, the only ones it accepts.
   */
  static final String KUBECTL_PLUGIN = "TOLLGATE_KUBECTL_PLUGIN";

  private static final String PLUGIN_NAME = "kubectl tollgate";
  private static final List<String> OFFLINE_COMMANDS =
      List.of("validate", "bundle", "eval", "test", "survey");

  private final InputStream stdin;

  TollgateCli(InputStream stdin) {
    this.stdin = stdin;
  }

  public static void main(String[] args) {
    CommandLine commandLine =
        "1".equals(System.getenv(KUBECTL_PLUGIN))
            ? kubectlPlugin(System.in)
            : commandLine(System.in);
    System.exit(commandLine.execute(args));
  }

  /** The configured command line; tests call this with their own stdin, stdout and stderr. */
  static CommandLine commandLine(InputStream stdin) {
    CommandLine commandLine = new CommandLine(new TollgateCli(stdin));
    commandLine.getCommandSpec().exitCodeOnInvalidInput(ExitCode.INVALID_INPUT);
    commandLine.setParameterExceptionHandler(TollgateCli::usageError);
    commandLine.setExecutionExceptionHandler(TollgateCli::failure);
    return commandLine;
  }

  /**
   * {@code kubectl tollgate}: the approval commands alone, named as kubectl runs them, so its help
   * and its errors list only what the plugin accepts.
   */
  static CommandLine kubectlPlugin(InputStream stdin) {
    CommandLine commandLine = commandLine(stdin);
    CommandSpec spec = commandLine.getCommandSpec();
    OFFLINE_COMMANDS.forEach(spec::removeSubcommand);
    commandLine.setCommandName(PLUGIN_NAME);
    spec.usageMessage()
        .description(
            "List and decide the ToolCallApprovals of the cluster of the current kubeconfig"
                + " (kubectl's --kubeconfig, --context and -n apply).")
        .exitCodeList(
            exitCodes(
                ExitCode.CLUSTER_OK_HELP,
                ExitCode.CLUSTER_FAILED_HELP,
                ExitCode.USAGE_HELP,
                ExitCode.INTERNAL_HELP))
        .footer("", "Run '" + PLUGIN_NAME + " COMMAND --help' for the options of one command.");
    return commandLine;
  }

  /** Picocli's {@code exitCodeList} entries ({@code "code:text"}) as its map, in order. */
  private static Map<String, String> exitCodes(String... entries) {
    Map<String, String> codes = new LinkedHashMap<>();
    for (String entry : entries) {
      int colon = entry.indexOf(':');
      codes.put(entry.substring(0, colon), entry.substring(colon + 1));
    }
    return codes;
  }

  InputStream stdin() {
    return stdin;
  }

  /** A short message instead of picocli's full usage text, which buries the actual mistake. */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(command.getCommandSpec().root().name() + ": " + e.getMessage());
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
