package dev.tollgate.engine.shell;

import dev.tollgate.engine.shell.WordExpander.Field;
import java.util.List;
import java.util.Set;

/**
 * Shell code that a command hands on, for the {@link SimpleCommandAnalyzer}: a shell's {@code -c}
 * string, script file or standard input, {@code su -c}, {@code at}, {@code source}. Literal code is
 * parsed again (its commands are listed with the context in {@code via}); code only known at run
 * time makes the result opaque.
 */
final class ShellCodeFollower {

  private static final Set<String> STDIN_FILES =
      Set.of("/dev/stdin", "/dev/fd/0", "/proc/self/fd/0");

  private final ShellAnalyzer analysis;

  ShellCodeFollower(ShellAnalyzer analysis) {
    this.analysis = analysis;
  }

  /**
   * A shell: its {@code -c} string, its script file, or the here-document or here-string it reads.
   */
  void shell(String name, List<Field> args, List<String> via, InlineCodeFinder.Stdin stdin) {
    Field code = InlineCodeFinder.shellCode(args);
    if (code != null) {
      reparse(name + " -c", code, via);
    } else if (InlineCodeFinder.shellRunsArgument(args)) {
      Field script = InlineCodeFinder.shellScript(args);
      if (script != null) {
        runsFile(name, script, via, stdin);
      }
    } else if (stdin != null) {
      switch (stdin.from()) {
        case "pipe" -> analysis.opaque(name + " reads commands from a pipe");
        case "file" -> {
          // like "sh FILE": a script file, whose content is not ours to see
        }
        default -> reparse(name + " " + stdin.from(), stdin.content(), via);
      }
    }
  }

  /**
   * {@code program} runs the code in {@code file}: reported as inline code from a file; opaque when
   * the path is only known at run time or is a descriptor; parsed when it is standard input fed by
   * a here-document or string ({@code source /dev/stdin <<< 'cmd'}).
   */
  void runsFile(String program, Field file, List<String> via, InlineCodeFinder.Stdin stdin) {
    String absolute = analysis.resolve(file);
    if (absolute != null && STDIN_FILES.contains(absolute)) {
      if (stdin == null) {
        analysis.inlineCode.add(new InlineCode(program, "", "file", absolute));
      } else if (stdin.from().equals("pipe") || stdin.from().equals("file")) {
        analysis.inlineCode.add(
            new InlineCode(
                program,
                "",
                stdin.from(),
                stdin.from().equals("file") ? stdin.content().text() : ""));
        analysis.opaque(program + " runs commands read from a " + stdin.from());
      } else {
        analysis.inlineCode.add(new InlineCode(program, stdin.content().text(), stdin.from(), ""));
        reparse(program + " " + stdin.from(), stdin.content(), via, program.equals("source"));
      }
      return;
    }
    if (absolute == null || absolute.startsWith("/dev/") || absolute.startsWith("/proc/")) {
      analysis.opaque(program + " runs a file only known at run time: " + file.text());
    }
    analysis.inlineCode.add(
        new InlineCode(program, "", "file", absolute == null ? file.text() : absolute));
    if (program.equals("source")) {
      analysis.cwd = null; // the sourced file may cd
    }
  }

  void reparse(String label, Field code, List<String> via) {
    reparse(label, code, via, false);
  }

  private void reparse(String label, Field code, List<String> via, boolean sameShell) {
    if (code.dynamic()) {
      analysis.opaque("code for " + label + " is only known at run time: " + code.text());
      return;
    }
    analysis.analyzeText(code.text(), ShellAnalyzer.with(via, label), label + " code", sameShell);
  }

  /**
   * {@code su -c CMD}, {@code runuser -c}, {@code script -c}, {@code flock FILE -c}: CMD goes to a
   * shell.
   */
  void dashCCommand(String name, List<Field> args, List<String> via) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i).text();
      Field code = null;
      boolean bundle =
          a.length() > 1
              && a.startsWith("-")
              && !a.startsWith("--")
              && a.endsWith("c")
              && a.chars().skip(1).allMatch(Character::isLetter);
      if ((bundle || a.equals("--command")) && i + 1 < args.size()) {
        code = args.get(i + 1);
      } else if (a.startsWith("--command=")) {
        code = new Field(a.substring("--command=".length()), args.get(i).dynamic());
      }
      if (code != null) {
        analysis.inlineCode.add(new InlineCode(name, code.text(), "argument", ""));
        reparse(name + " -c", code, via);
        return;
      }
    }
  }

  /**
   * {@code at} and {@code batch} run shell commands later, read from a file ({@code -f}) or
   * standard input.
   */
  void scheduled(String name, List<Field> args, List<String> via, InlineCodeFinder.Stdin stdin) {
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).text().equals("-f")) {
        runsFile(name, args.get(i + 1), via, null);
        return;
      }
    }
    if (stdin == null || stdin.from().equals("pipe") || stdin.from().equals("file")) {
      analysis.opaque(
          name
              + " schedules commands read from "
              + (stdin == null ? "the terminal" : "a " + stdin.from()));
    } else {
      analysis.inlineCode.add(new InlineCode(name, stdin.content().text(), stdin.from(), ""));
      reparse(name + " " + stdin.from(), stdin.content(), via);
    }
  }
}
