package dev.tollgate.engine.shell;

import dev.tollgate.engine.shell.WordExpander.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Options and environment variables whose value a program runs as a command ({@code tar
 * --to-command}, {@code rsync -e}, {@code ssh -o ProxyCommand=…}, {@code GIT_SSH_COMMAND=…}, {@code
 * LD_PRELOAD=…}): the classic ways to run code through a program that looks harmless. Reported as
 * inline code.
 */
final class CommandOptions {

  /** Per program, the options whose value is a command (long ones also as {@code --opt=value}). */
  private static final Map<String, Set<String>> OPTIONS =
      Map.ofEntries(
          Map.entry(
              "tar",
              Set.of(
                  "--to-command",
                  "--use-compress-program",
                  "-I",
                  "--checkpoint-action",
                  "--info-script",
                  "-F",
                  "--new-volume-script",
                  "--rsh-command")),
          Map.entry("rsync", Set.of("-e", "--rsh", "--rsync-path")),
          Map.entry("scp", Set.of("-S")),
          Map.entry("zip", Set.of("-TT", "--unzip-command")),
          Map.entry("sort", Set.of("--compress-program")),
          Map.entry("git", Set.of("--upload-pack", "--receive-pack", "--exec")),
          Map.entry("vim", Set.of("-c", "--cmd")),
          Map.entry("vi", Set.of("-c", "--cmd")),
          Map.entry("nvim", Set.of("-c", "--cmd")),
          Map.entry("less", Set.of("--lesskey-src")),
          Map.entry("mapfile", Set.of("-C")),
          Map.entry("readarray", Set.of("-C")),
          Map.entry("npx", Set.of("-c", "--call")));

  private static final Set<String> SSH_COMMAND_OPTIONS =
      Set.of("proxycommand", "localcommand", "knownhostscommand", "remotecommand");
  private static final Set<String> SSH_ARG_LETTERS =
      Set.of(
          "B", "b", "c", "D", "E", "e", "F", "I", "i", "J", "L", "l", "m", "O", "o", "p", "Q", "R",
          "S", "W", "w");

  /** Variables whose value is run, loaded or sourced as code by the program they are given to. */
  private static final Set<String> CODE_VARIABLES =
      Set.of(
          "BASH_ENV",
          "ENV",
          "PS4",
          "PROMPT_COMMAND",
          "LD_PRELOAD",
          "LD_AUDIT",
          "NODE_OPTIONS",
          "PERL5OPT",
          "RUBYOPT",
          "PYTHONSTARTUP",
          "PYTHONINSPECT",
          "GIT_SSH_COMMAND",
          "GIT_SSH",
          "GIT_EXTERNAL_DIFF",
          "GIT_PAGER",
          "GIT_EDITOR",
          "GIT_ASKPASS",
          "GIT_PROXY_COMMAND",
          "GIT_CONFIG_PARAMETERS",
          "SSH_ASKPASS",
          "SUDO_ASKPASS",
          "PAGER",
          "MANPAGER",
          "EDITOR",
          "VISUAL",
          "BROWSER",
          "LESSOPEN",
          "LESSCLOSE",
          "RSYNC_RSH",
          "CVS_RSH");

  private CommandOptions() {}

  /** Command-valued options of {@code name} in {@code args}, and an ssh remote command. */
  static List<InlineCode> find(String name, List<Field> args) {
    List<InlineCode> found = new ArrayList<>();
    if (name.equals("ssh")) {
      ssh(args, found);
      return found;
    }
    Set<String> options = OPTIONS.get(name);
    if (options == null) {
      return found;
    }
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i).text();
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0 && options.contains(a.substring(0, eq))) {
        found.add(
            new InlineCode(name + " " + a.substring(0, eq), a.substring(eq + 1), "argument", ""));
      } else if (options.contains(a) && i + 1 < args.size()) {
        found.add(new InlineCode(name + " " + a, args.get(++i).text(), "argument", ""));
      } else if (a.length() > 2 && !a.startsWith("--") && options.contains(a.substring(0, 2))) {
        found.add(new InlineCode(name + " " + a.substring(0, 2), a.substring(2), "argument", ""));
      }
    }
    return found;
  }

  /**
   * {@code ssh -o ProxyCommand=…} runs locally; the words after the host run remotely: both are
   * code.
   */
  private static void ssh(List<Field> args, List<InlineCode> found) {
    int i = 0;
    while (i < args.size()
        && args.get(i).text().startsWith("-")
        && !args.get(i).text().equals("--")) {
      String a = args.get(i).text();
      String letter = a.length() > 1 ? a.substring(1, 2) : "";
      String value =
          a.length() > 2 ? a.substring(2) : i + 1 < args.size() ? args.get(i + 1).text() : "";
      if (letter.equals("o")) {
        int eq = value.indexOf('=');
        String key = (eq < 0 ? value : value.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        if (SSH_COMMAND_OPTIONS.contains(key)) {
          found.add(
              new InlineCode(
                  "ssh -o " + key, eq < 0 ? "" : value.substring(eq + 1), "argument", ""));
        }
      }
      i += SSH_ARG_LETTERS.contains(letter) && a.length() == 2 ? 2 : 1;
    }
    if (i < args.size() && args.get(i).text().equals("--")) {
      i++;
    }
    if (i + 1 < args.size()) {
      List<String> remote = new ArrayList<>();
      args.subList(i + 1, args.size()).forEach(f -> remote.add(f.text()));
      found.add(new InlineCode("ssh", String.join(" ", remote), "argument", ""));
    }
  }

  /** {@code NAME=value} assignments given to a command whose variable carries code. */
  static List<InlineCode> fromEnvironment(List<String> assignments) {
    List<InlineCode> found = new ArrayList<>();
    for (String assignment : assignments) {
      int eq = assignment.indexOf('=');
      String variable = eq < 0 ? assignment : assignment.substring(0, eq).replace("+", "");
      if (eq > 0
          && (CODE_VARIABLES.contains(variable) || variable.startsWith("GIT_CONFIG_VALUE_"))) {
        found.add(
            new InlineCode("env " + variable, assignment.substring(eq + 1), "environment", ""));
      }
    }
    return found;
  }
}
