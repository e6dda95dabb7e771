package dev.tollgate.engine.hook.codex;

import java.util.List;
import java.util.regex.Pattern;

/**
 * An argv (how Codex's older {@code shell} tool and its {@code apply_patch} exec hand a command)
 * turned into the one shell string the shell parser reads, so that the decision is about what runs:
 * every word single-quoted, so no word can smuggle in a second command; and {@code bash -lc SCRIPT}
 * (or {@code sh -c}, {@code zsh -lc}, …) reduced to SCRIPT, which is what that shell runs.
 */
public final class ArgvCommand {

  /** Words the shell leaves alone unquoted: printing them bare keeps the audit readable. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  /** A shell by name or path, whose {@code -c}/{@code -lc} operand is the script it runs. */
  private static final Pattern SHELL = Pattern.compile("(?:/(?:usr/)?bin/)?(?:ba|z|da|k)?sh");

  private static final Pattern COMMAND_FLAG = Pattern.compile("-l?c|-cl");

  private ArgvCommand() {}

  /**
   * The command string for {@code argv}: the script itself for exactly {@code [shell, -c|-lc,
   * script]} (more words would become the script's $0, $1…, so that form is quoted whole instead).
   */
  public static String toCommand(List<String> argv) {
    if (argv.size() == 3
        && SHELL.matcher(argv.get(0)).matches()
        && COMMAND_FLAG.matcher(argv.get(1)).matches()) {
      return argv.get(2);
    }
    StringBuilder command = new StringBuilder();
    for (String word : argv) {
      if (command.length() > 0) {
        command.append(' ');
      }
      command.append(quote(word));
    }
    return command.toString();
  }

  /** One word as the shell reads it back: bare when plain, else single-quoted. */
  static String quote(String word) {
    if (!word.isEmpty() && PLAIN.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
