package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class TollgateCliTest {

  @Test
  void version() {
    CliRun run = CliRun.run("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("tollgate 0.1.0");
  }

  @Test
  void helpListsTheCommandsAndExitCodes() {
    CliRun run = CliRun.run("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("validate", "bundle", "eval", "test", "Exit codes:");
  }

  @Test
  void eachCommandHasHelp() {
    for (String command : new String[] {"validate", "bundle", "eval", "test"}) {
      CliRun run = CliRun.run(command, "--help");

      assertThat(run.exitCode()).as(command).isZero();
      assertThat(run.out()).as(command).contains("-f, --filename=PATH", "--namespace=NS");
    }
  }

  @Test
  void noCommandIsAUsageError() {
    CliRun run = CliRun.run();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required subcommand");
  }

  @Test
  void misspeltCommandSuggestsTheRightOne() {
    CliRun run = CliRun.run("valdate", "-f", "x");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Did you mean: tollgate validate");
  }

  @Test
  void missingFilenameIsAUsageError() {
    CliRun run = CliRun.run("validate");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines())
        .containsExactly(
            "tollgate: Missing required option: '--filename=PATH'",
            "Run 'tollgate validate --help' for usage.");
  }

  @Test
  void debugIsAcceptedAfterTheCommand() {
    CliRun run = CliRun.run("validate", "--debug", "-f", CliRun.EXAMPLES.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
  }

  @Test
  void internalErrorIsOneLineWithAHint() {
    StringWriter err = new StringWriter();

    int exitCode = withBrokenCommand(err).execute("broken");

    assertThat(exitCode).isEqualTo(ExitCode.INTERNAL_ERROR);
    assertThat(err.toString())
        .isEqualTo(
            "tollgate: internal error: IllegalStateException: wires crossed (run again with --debug to see the stack trace)\n");
  }

  @Test
  void debugShowsTheStackTrace() {
    StringWriter err = new StringWriter();

    int exitCode = withBrokenCommand(err).execute("broken", "--debug");

    assertThat(exitCode).isEqualTo(ExitCode.INTERNAL_ERROR);
    assertThat(err.toString())
        .startsWith("tollgate: internal error: IllegalStateException: wires crossed\n")
        .contains("at dev.tollgate.cli.TollgateCliTest$BrokenCommand.call");
  }

  @Test
  void asTheKubectlPluginItsHelpListsOnlyTheApprovalCommands() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine plugin = TollgateCli.kubectlPlugin(new ByteArrayInputStream(new byte[0]));
    plugin.setOut(new PrintWriter(out, true));
    plugin.setErr(new PrintWriter(err, true));

    assertThat(plugin.execute("--help")).isZero();
    String help = out.toString();
    assertThat(help)
        .startsWith("Usage: kubectl tollgate [-hV] [--debug] [COMMAND]")
        .contains("approvals", "show", "approve", "reject")
        .contains("Run 'kubectl tollgate COMMAND --help'")
        .contains("1   The cluster refused or could not be reached");
    for (String offline : List.of("validate", "bundle", "eval", "test ", "survey")) {
      assertThat(help).as(offline).doesNotContain("  " + offline);
    }

    out.getBuffer().setLength(0);
    assertThat(plugin.execute("approvals", "--help")).isZero();
    assertThat(out.toString()).startsWith("Usage: kubectl tollgate approvals ");

    // An offline command is not the plugin's: refused as a usage error naming the plugin.
    assertThat(plugin.execute("validate", "examples/")).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString())
        .startsWith("kubectl tollgate: Unmatched arguments from index 0: 'validate', 'examples/'")
        .contains("Run 'kubectl tollgate --help' for usage.");
  }

  private static CommandLine withBrokenCommand(StringWriter err) {
    CommandLine commandLine = TollgateCli.commandLine(new ByteArrayInputStream(new byte[0]));
    commandLine.addSubcommand("broken", new BrokenCommand());
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine;
  }

  /** Stands for a bug: any exception that is not about the user's input. */
  @Command(name = "broken")
  static final class BrokenCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new IllegalStateException("wires crossed");
    }
  }
}
