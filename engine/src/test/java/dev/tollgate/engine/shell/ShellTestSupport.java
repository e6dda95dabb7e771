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

  /**
   * The one command named {@code name} as written (failing when there are none or several); folded
   * views ({@code via: folded}) are left out.
   */
  static AnalyzedCommand only(ShellAnalysis analysis, String name) {
    List<AnalyzedCommand> matching =
        analysis.commands().stream()
            .filter(c -> c.name().equals(name) && !c.via().contains("folded"))
            .toList();
    assertThat(matching).as("commands named %s in %s", name, analysis.commands()).hasSize(1);
    return matching.get(0);
  }

  /** The {@code index}th command named {@code name} as written. */
  static AnalyzedCommand only(ShellAnalysis analysis, String name, int index) {
    return analysis.commands().stream()
        .filter(c -> c.name().equals(name) && !c.via().contains("folded"))
        .toList()
        .get(index);
  }

  /** The one folded view ({@code via: folded}) of a command named {@code name}. */
  static AnalyzedCommand folded(ShellAnalysis analysis, String name) {
    List<AnalyzedCommand> matching =
        analysis.commands().stream()
            .filter(c -> c.name().equals(name) && c.via().contains("folded"))
            .toList();
    assertThat(matching).as("folded %s in %s", name, analysis.commands()).hasSize(1);
    return matching.get(0);
  }
}
