package dev.tollgate.engine.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * Shared by the shell analysis tests: one working directory and home, and a lookup by command name.
 */
final class ShellTestSupport {

  private ShellTestSupport() {}

  static ShellAnalysis analyze(String command) {
    return ShellAnalyzer.analyze(command, "/work", "/home/agent");
  }

  /** The one command named {@code name} (failing when there are none or several). */
  static AnalyzedCommand only(ShellAnalysis analysis, String name) {
    List<AnalyzedCommand> matching =
        analysis.commands().stream().filter(c -> c.name().equals(name)).toList();
    assertThat(matching).as("commands named %s in %s", name, analysis.commands()).hasSize(1);
    return matching.get(0);
  }

  /** The {@code index}th command named {@code name}. */
  static AnalyzedCommand only(ShellAnalysis analysis, String name, int index) {
    return analysis.commands().stream().filter(c -> c.name().equals(name)).toList().get(index);
  }
}
