package dev.tollgate.engine.shell;

import dev.tollgate.engine.shell.WordExpander.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * The shell state the analysis follows from one command to the next: the working directory ({@code
 * cd}, {@code pushd}, {@code popd}) and {@code set -e}, which decides whether a failed {@code cd}
 * can be ignored.
 */
final class ShellStateChanges {

  private ShellStateChanges() {}

  /**
   * {@code set -e}, {@code set -euo pipefail}, {@code set -o errexit} and their {@code +} forms.
   */
  static void set(ShellAnalyzer analysis, List<Field> args) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i).text();
      boolean on = a.startsWith("-");
      if (a.equals("--") || a.equals("-")) {
        return; // the rest are positional parameters
      }
      if ((a.equals("-o") || a.equals("+o"))
          && i + 1 < args.size()
          && args.get(i + 1).text().equals("errexit")) {
        analysis.errexit = on;
      } else if (a.length() > 1
          && (on || a.startsWith("+"))
          && !a.startsWith("--")
          && a.indexOf('e') > 0) {
        analysis.errexit = on;
      }
    }
  }

  /**
   * {@code cd DIR}, {@code cd}, {@code cd -}, {@code pushd DIR}, {@code popd}: the directory after
   * them.
   */
  static void changeDirectory(ShellAnalyzer analysis, String name, List<Field> args) {
    List<Field> operands = new ArrayList<>();
    for (Field arg : args) {
      if (!(arg.text().startsWith("-") && arg.text().length() > 1 && !arg.dynamic())
          || !operands.isEmpty()) {
        operands.add(arg);
      }
    }
    if (name.equals("popd")
        || (!operands.isEmpty()
            && operands.get(0).text().equals("-")
            && !operands.get(0).dynamic())) {
      analysis.cwd = null;
    } else if (operands.isEmpty()) {
      analysis.cwd = name.equals("cd") ? analysis.home : null;
    } else {
      analysis.cwd = analysis.resolve(operands.get(0));
    }
  }
}
