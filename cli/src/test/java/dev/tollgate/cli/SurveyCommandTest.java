package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate survey}: the examples leave everyday work alone. */
class SurveyCommandTest {

  private static final String EVERYDAY =
      CliRun.EXAMPLES.resolve("tests/corpus/everyday-commands.txt").toString();

  @TempDir Path dir;

  @Test
  void theExamplesAllowAtLeastNinetyFivePercentOfEverydayCommands() {
    CliRun run = survey("--commands", EVERYDAY, "--min-allowed", "95");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    String last = run.out().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(last)
        .matches("\\d+ commands: \\d+ allowed \\(\\d+\\.\\d%\\), \\d+ held, \\d+ denied");
    System.out.println("everyday corpus against examples/: " + last);
  }

  @Test
  void aCommandThatIsNotAllowedIsListedWithTheRuleThatStoppedIt() throws Exception {
    Path commands = dir.resolve("commands.txt");
    Files.writeString(
        commands, "# a comment\n\ngit status\ngit push --force origin main\nnpx -y cowsay\n");

    CliRun run = survey("--commands", commands.toString(), "--min-allowed", "50");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out())
        .contains("deny\tgit push --force origin main\t[agents/shell/no-force-push]")
        .contains("approval_required\tnpx -y cowsay\t[agents/shell/new-packages-need-approval]")
        .endsWith("3 commands: 1 allowed (33.3%), 1 held, 1 denied\n");
  }

  @Test
  void aMissingCommandsFileIsNamed() {
    CliRun run = survey("--commands", dir.resolve("nope.txt").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.err()).contains("nope.txt").contains("cannot read the commands");
  }

  private static CliRun survey(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "survey",
                "-f",
                CliRun.EXAMPLES.toString(),
                "--identity",
                "agents/repo-coder",
                "--principal",
                "alice"));
    args.addAll(List.of(more));
    return CliRun.run(args.toArray(String[]::new));
  }
}
