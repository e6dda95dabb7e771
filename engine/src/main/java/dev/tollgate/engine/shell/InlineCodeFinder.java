package dev.tollgate.engine.shell;

import dev.tollgate.engine.command.CommandKnowledge;
import dev.tollgate.engine.shell.WordExpander.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds code a command hands to an interpreter: {@code python -c}, {@code node -e}, {@code perl
 * -e}, awk and sed programs, {@code make --eval}, {@code git -c alias.x=!…}, a shell's {@code -c}
 * string, or a program read from a here-document, here-string or pipe.
 */
final class InlineCodeFinder {

  /**
   * What a command reads on standard input: from is here-doc, here-string, pipe or file; null when
   * nothing.
   */
  record Stdin(String from, Field content) {}

  private static final Pattern PYTHON = Pattern.compile("(python|pypy)[0-9.]*");
  private static final Pattern PERL = Pattern.compile("perl[0-9.]*");
  private static final Pattern LUA = Pattern.compile("lua(jit)?[0-9.]*");
  private static final Set<String> SHELLS =
      Set.of("sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "yash", "rbash", "posh");
  private static final Set<String> AWKS = Set.of("awk", "gawk", "mawk", "nawk");

  private final List<InlineCode> found = new ArrayList<>();

  private InlineCodeFinder() {}

  static boolean isShell(String name) {
    return SHELLS.contains(name);
  }

  /**
   * The code a shell runs from its {@code -c} option ({@code -c}, {@code -lc}, {@code -ec}…): the
   * first word after the options. Null when the shell is not given {@code -c}.
   */
  static Field shellCode(List<Field> args) {
    boolean dashC = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i).text();
      if (args.get(i).dynamic()
          || a.equals("--")
          || !(a.startsWith("-") || a.startsWith("+"))
          || a.length() < 2) {
        return dashC && i + (a.equals("--") ? 1 : 0) < args.size()
            ? args.get(i + (a.equals("--") ? 1 : 0))
            : null;
      }
      if (!a.startsWith("--") && a.indexOf('c') > 0) {
        dashC = true;
      } else if (a.equals("-o") || a.equals("+o") || a.equals("-O") || a.equals("+O")) {
        i++;
      }
    }
    return null;
  }

  /**
   * True when the shell runs a script file or {@code -c} string rather than its standard input:
   * {@code -s}, or no operand after the options, means standard input.
   */
  static boolean shellRunsArgument(List<Field> args) {
    for (int i = 0; i < args.size(); i++) {
      Field arg = args.get(i);
      String a = arg.text();
      if (arg.dynamic()) {
        return true;
      }
      if (a.equals("--")) {
        return i + 1 < args.size();
      }
      if (a.equals("-o") || a.equals("+o") || a.equals("-O") || a.equals("+O")) {
        i++;
      } else if (!(a.startsWith("-") || a.startsWith("+")) || a.length() < 2) {
        return true;
      } else if (!a.startsWith("--") && a.indexOf('c') > 0) {
        return true;
      } else if (!a.startsWith("--") && a.indexOf('s') > 0) {
        return false;
      }
    }
    return false;
  }

  /** The script file operand of a shell that runs one (no {@code -c}, not {@code -s}), or null. */
  static Field shellScript(List<Field> args) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i).text();
      if (args.get(i).dynamic() || !(a.startsWith("-") || a.startsWith("+")) || a.length() < 2) {
        return args.get(i);
      }
      if (a.equals("--")) {
        return i + 1 < args.size() ? args.get(i + 1) : null;
      }
      if (a.equals("-o") || a.equals("+o") || a.equals("-O") || a.equals("+O")) {
        i++;
      }
    }
    return null;
  }

  /**
   * Inline code given to {@code name} (a base name) in {@code args}, or read from {@code stdin}.
   */
  static List<InlineCode> find(String name, List<Field> args, Stdin stdin) {
    InlineCodeFinder finder = new InlineCodeFinder();
    finder.scan(name, args, stdin);
    return finder.found;
  }

  private void scan(String name, List<Field> args, Stdin stdin) {
    if (PYTHON.matcher(name).matches()) {
      bundled(name, args, stdin, "c", "WXQ", "m");
    } else if (PERL.matcher(name).matches()) {
      bundled(name, args, stdin, "eE", "IM", "");
    } else if (name.equals("ruby")) {
      bundled(name, args, stdin, "e", "rICE", "");
    } else if (LUA.matcher(name).matches()) {
      bundled(name, args, stdin, "e", "l", "");
    } else if (name.equals("php")) {
      bundled(name, args, stdin, "rRBE", "cdzt", "f");
    } else if (name.equals("Rscript") || name.equals("osascript")) {
      bundled(name, args, stdin, "e", "", "");
    } else if (name.equals("node")
        || name.equals("nodejs")
        || name.equals("bun")
        || name.equals("deno")) {
      node(name, args, stdin);
    } else if (AWKS.contains(name)) {
      awk(name, args);
    } else if (name.equals("sed") || name.equals("gsed")) {
      sed(name, args);
    } else if (name.equals("make") || name.equals("gmake")) {
      make(name, args, stdin);
    } else if (name.equals("git")) {
      git(args);
    } else if (SHELLS.contains(name)) {
      Field code = shellCode(args);
      if (code != null) {
        add(name, code.text(), "argument", "");
      } else if (!shellRunsArgument(args)) {
        fromStdin(name, stdin);
      }
    }
  }

  private void add(String program, String code, String from, String file) {
    found.add(new InlineCode(program, code, from, file));
  }

  private void fromStdin(String program, Stdin stdin) {
    if (stdin != null) {
      add(
          program,
          stdin.from().equals("pipe") || stdin.from().equals("file") ? "" : stdin.content().text(),
          stdin.from(),
          stdin.from().equals("file") ? stdin.content().text() : "");
    }
  }

  /**
   * getopt-style interpreters: {@code codeLetters} take the code (attached or next word), {@code
   * argLetters} take another argument, {@code stopLetters} end the scan without inline code ({@code
   * python -m}); the first non-option word is a script file. Without code or script, the program
   * comes from standard input.
   */
  private void bundled(
      String name,
      List<Field> args,
      Stdin stdin,
      String codeLetters,
      String argLetters,
      String stopLetters) {
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i).text();
      if (a.equals("-")) {
        break;
      }
      if (args.get(i).dynamic() || !a.startsWith("-") || a.equals("--") || a.startsWith("--")) {
        if (a.startsWith("--") && !a.equals("--")) {
          continue;
        }
        if (codes.isEmpty()) {
          return; // a script file (or an unknown word): not inline code
        }
        break;
      }
      for (int j = 1; j < a.length(); j++) {
        char c = a.charAt(j);
        if (stopLetters.indexOf(c) >= 0) {
          return;
        }
        if (codeLetters.indexOf(c) >= 0 || argLetters.indexOf(c) >= 0) {
          String value =
              j + 1 < a.length()
                  ? a.substring(j + 1)
                  : i + 1 < args.size() ? args.get(++i).text() : "";
          if (codeLetters.indexOf(c) >= 0) {
            codes.add(value);
          }
          break;
        }
      }
      if (!codes.isEmpty() && codeLetters.equals("c")) {
        break; // python: the words after -c CODE are sys.argv
      }
    }
    if (codes.isEmpty()) {
      fromStdin(name, stdin);
    } else {
      add(name, String.join("\n", codes), "argument", "");
    }
  }

  private void node(String name, List<Field> args, Stdin stdin) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i).text();
      if (name.equals("deno") && a.equals("eval") && i + 1 < args.size()) {
        add(name, args.get(i + 1).text(), "argument", "");
        return;
      }
      if (a.equals("-e")
          || a.equals("--eval")
          || a.equals("-p")
          || a.equals("--print")
          || a.equals("-pe")) {
        add(name, i + 1 < args.size() ? args.get(i + 1).text() : "", "argument", "");
        return;
      }
      if (a.startsWith("--eval=") || a.startsWith("--print=")) {
        add(name, a.substring(a.indexOf('=') + 1), "argument", "");
        return;
      }
      if (!a.startsWith("-") || args.get(i).dynamic()) {
        return;
      }
      if (a.equals("-r") || a.equals("--require") || a.equals("--import") || a.equals("--loader")) {
        i++;
      }
    }
    if (!name.equals("deno")) {
      fromStdin(name, stdin);
    }
  }

  private void awk(String name, List<Field> args) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i).text();
      String next = i + 1 < args.size() ? args.get(i + 1).text() : "";
      if (a.equals("-f") || a.equals("--file")) {
        add(name, "", "file", next);
        return;
      } else if (a.startsWith("--file=")) {
        add(name, "", "file", a.substring("--file=".length()));
        return;
      } else if (a.equals("-e") || a.equals("--source")) {
        add(name, next, "argument", "");
        return;
      } else if (a.equals("-F") || a.equals("-v") || a.equals("-i") || a.equals("-l")) {
        i++;
      } else if (a.equals("--")) {
        add(name, next, "argument", "");
        return;
      } else if (!a.startsWith("-") || a.equals("-") || args.get(i).dynamic()) {
        add(name, a, "argument", "");
        return;
      }
    }
  }

  private void sed(String name, List<Field> args) {
    List<String> scripts = new ArrayList<>();
    boolean explicit = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i).text();
      if (a.equals("-e") || a.equals("--expression")) {
        explicit = true;
        scripts.add(i + 1 < args.size() ? args.get(++i).text() : "");
      } else if (a.startsWith("--expression=")) {
        explicit = true;
        scripts.add(a.substring("--expression=".length()));
      } else if (a.equals("-f") || a.equals("--file") || a.startsWith("--file=")) {
        add(
            name,
            "",
            "file",
            a.startsWith("--file=")
                ? a.substring(7)
                : i + 1 < args.size() ? args.get(++i).text() : "");
        explicit = true;
      } else if (a.equals("-l") || a.equals("--line-length")) {
        i++;
      } else if (!explicit && (!a.startsWith("-") || a.equals("-"))) {
        scripts.add(a);
        break;
      }
    }
    String script = String.join("\n", scripts);
    if (SedScript.executesOrWrites(script)) {
      add(name, script, "argument", "");
    }
  }

  private void make(String name, List<Field> args, Stdin stdin) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i).text();
      if (a.startsWith("--eval=")) {
        add(name, a.substring("--eval=".length()), "argument", "");
      } else if ((a.equals("--eval") || a.equals("-E")) && i + 1 < args.size()) {
        add(name, args.get(++i).text(), "argument", "");
      } else if ((a.equals("-f") || a.equals("--file") || a.equals("--makefile"))
          && i + 1 < args.size()
          && args.get(i + 1).text().equals("-")) {
        fromStdin(name, stdin);
        i++;
      }
    }
  }

  /**
   * {@code git -c key=value} with a key whose value is run as a command, and {@code git config}
   * setting one.
   */
  private void git(List<Field> args) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i).text();
      if ((a.equals("-c") || a.equals("--config-env")) && i + 1 < args.size()) {
        gitSetting(args.get(++i).text(), a.equals("--config-env"));
      } else if (a.startsWith("-c") && a.length() > 2) {
        gitSetting(a.substring(2), false);
      } else if (a.startsWith("--config-env=")) {
        gitSetting(a.substring("--config-env=".length()), true);
      } else if (a.equals("-C")
          || a.equals("--git-dir")
          || a.equals("--work-tree")
          || a.equals("--namespace")) {
        i++;
      } else if (a.equals("config") && i + 2 < args.size()) {
        int k = i + 1;
        while (k < args.size() - 1 && args.get(k).text().startsWith("-")) {
          k++;
        }
        if (k + 1 < args.size() && isCodeKey(args.get(k).text(), args.get(k + 1).text())) {
          add("git config " + args.get(k).text(), args.get(k + 1).text(), "argument", "");
        }
        return;
      } else if (!a.startsWith("-")) {
        return;
      }
    }
  }

  private void gitSetting(String setting, boolean fromEnvironment) {
    int eq = setting.indexOf('=');
    String key = eq < 0 ? setting : setting.substring(0, eq);
    String value = eq < 0 ? "" : setting.substring(eq + 1);
    if (isCodeKey(key, value) || (fromEnvironment && isCodeKey(key, "!"))) {
      add("git -c " + key, fromEnvironment ? "$" + value : value, "argument", "");
    }
  }

  /**
   * The setting's value is code: a key whose value git runs ({@link
   * CommandKnowledge#gitConfigRunsCode}), except that an alias is code only as {@code !command}; a
   * plain alias names git arguments, which the git facts report.
   */
  private static boolean isCodeKey(String key, String value) {
    return key.toLowerCase(Locale.ROOT).startsWith("alias.")
        ? value.startsWith("!")
        : CommandKnowledge.gitConfigRunsCode(key);
  }
}
