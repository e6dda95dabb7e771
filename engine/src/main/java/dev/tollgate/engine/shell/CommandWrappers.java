package dev.tollgate.engine.shell;

import dev.tollgate.engine.shell.WordExpander.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Commands that run another command given in their arguments ({@code sudo}, {@code env}, {@code
 * nohup}, {@code timeout}, {@code nice}, {@code xargs}…): skips their own options so the analysis
 * sees the command they run. An option word that is only known at run time stops the skipping
 * there, so that word becomes the command name and the result is opaque rather than guessed.
 */
final class CommandWrappers {

  /**
   * The command a wrapper runs.
   *
   * @param label how the wrapper appears in {@code via}
   * @param command the wrapped command's words (name first); empty if it runs none
   * @param assignments {@code NAME=value} words the wrapper puts in the environment
   * @param dynamic true when the wrapper adds arguments only known at run time ({@code xargs})
   * @param chdir the directory the wrapper changes to ({@code env -C}), or null
   * @param splitString the string of {@code env -S}, to be split into words before {@code command},
   *     or null
   */
  record Unwrapped(
      String label,
      List<Field> command,
      List<String> assignments,
      boolean dynamic,
      String chdir,
      Field splitString) {}

  private static final Set<String> NO_OPTIONS = Set.of("nohup", "unbuffer", "builtin", "busybox");

  private CommandWrappers() {}

  /**
   * The command {@code name} runs with {@code args}, or null when it is not a wrapper or runs
   * nothing.
   */
  static Unwrapped unwrap(String name, List<Field> args) {
    if (NO_OPTIONS.contains(name)) {
      int i = !args.isEmpty() && args.get(0).text().equals("--") ? 1 : 0;
      return result(name, args, i, List.of(), false, null, null);
    }
    return switch (name) {
      case "sudo" -> sudo(args);
      case "doas" -> simple("doas", args, "uC", Set.of(), true);
      case "env" -> env(args);
      case "timeout" ->
          positionalThenCommand("timeout", args, "ks", Set.of("--kill-after", "--signal"), 1);
      case "nice" -> simple("nice", args, "n", Set.of("--adjustment"), false);
      case "ionice" ->
          options(args, "cn", Set.of()).stream()
                  .anyMatch(a -> a.startsWith("-p") || a.startsWith("-P"))
              ? null
              : simple("ionice", args, "cn", Set.of("--class", "--classdata"), false);
      case "stdbuf" ->
          simple("stdbuf", args, "ioe", Set.of("--input", "--output", "--error"), false);
      case "time" -> simple("time", args, "fo", Set.of("--format", "--output"), false);
      case "chroot" ->
          positionalThenCommand("chroot", args, "", Set.of("--userspec", "--groups"), 1);
      case "command" ->
          options(args, "", Set.of()).stream().anyMatch(a -> a.contains("v") || a.contains("V"))
              ? null
              : simple("command", args, "", Set.of(), false);
      case "exec" -> simple("exec", args, "a", Set.of(), false);
      case "xargs" -> xargs(args);
      case "setsid" -> simple("setsid", args, "", Set.of(), false);
      case "flock" -> flock(args);
      case "runuser" ->
          options(args, "ugGw", Set.of("--user", "--group", "--supp-group")).stream()
                  .anyMatch(a -> a.equals("-u") || a.startsWith("--user"))
              ? simple("runuser", args, "ugGw", Set.of("--user", "--group", "--supp-group"), false)
              : null;
      case "strace", "ltrace" ->
          simple(
              name,
              args,
              "abeEoOpPsSuUXIA",
              Set.of("--output", "--attach", "--user", "--string-limit", "--trace", "--signal"),
              false);
      default -> null;
    };
  }

  private static final String SUDO_SHORT_WITH_ARG = "ugpCDrtUThR";
  private static final Set<String> SUDO_LONG_WITH_ARG =
      Set.of(
          "--user",
          "--group",
          "--prompt",
          "--close-from",
          "--chdir",
          "--role",
          "--type",
          "--other-user",
          "--command-timeout",
          "--host");

  private static Unwrapped sudo(List<Field> args) {
    for (String option : options(args, SUDO_SHORT_WITH_ARG, SUDO_LONG_WITH_ARG)) {
      if (option.equals("--edit")
          || (!option.startsWith("--") && option.startsWith("-") && option.contains("e"))) {
        return null; // sudoedit edits files; it runs no command of ours
      }
    }
    return simple("sudo", args, SUDO_SHORT_WITH_ARG, SUDO_LONG_WITH_ARG, true);
  }

  /**
   * {@code flock [options] FILE COMMAND [args]}; the {@code FILE -c STRING} form is a shell's, not
   * a wrapper's.
   */
  private static Unwrapped flock(List<Field> args) {
    Set<String> longWithArg = Set.of("--timeout", "--conflict-exit-code");
    int file = skipOptions(args, 0, "wE", longWithArg);
    if (options(args, "wE", longWithArg).stream()
            .anyMatch(a -> a.equals("-c") || a.startsWith("--command"))
        || (file + 1 < args.size()
            && (args.get(file + 1).text().equals("-c")
                || args.get(file + 1).text().startsWith("--command")))) {
      return null;
    }
    return result("flock", args, file + 1, List.of(), false, null, null);
  }

  /** The option words before the command (not the command's own options). */
  private static List<String> options(
      List<Field> args, String shortWithArg, Set<String> longWithArg) {
    List<String> options = new ArrayList<>();
    int end = skipOptions(args, 0, shortWithArg, longWithArg);
    for (int i = 0; i < end; i++) {
      options.add(args.get(i).text());
    }
    return options;
  }

  /**
   * Options, then the command; {@code NAME=value} words before it are environment assignments if
   * allowed.
   */
  private static Unwrapped simple(
      String label,
      List<Field> args,
      String shortWithArg,
      Set<String> longWithArg,
      boolean assignmentsAllowed) {
    int i = skipOptions(args, 0, shortWithArg, longWithArg);
    List<String> assignments = new ArrayList<>();
    while (assignmentsAllowed && i < args.size() && isAssignment(args.get(i))) {
      assignments.add(args.get(i++).text());
    }
    return result(label, args, i, assignments, false, null, null);
  }

  private static Unwrapped positionalThenCommand(
      String label,
      List<Field> args,
      String shortWithArg,
      Set<String> longWithArg,
      int positionals) {
    int i = skipOptions(args, 0, shortWithArg, longWithArg);
    for (int p = 0; p < positionals && i < args.size() && !args.get(i).dynamic(); p++) {
      i++;
    }
    return result(label, args, i, List.of(), false, null, null);
  }

  private static Unwrapped env(List<Field> args) {
    List<String> assignments = new ArrayList<>();
    String chdir = null;
    Field split = null;
    int i = 0;
    while (i < args.size() && !args.get(i).dynamic()) {
      String a = args.get(i).text();
      String value = i + 1 < args.size() ? args.get(i + 1).text() : "";
      if (a.equals("--")) {
        i++;
        break;
      } else if (a.equals("-C") || a.equals("--chdir")) {
        chdir = value;
        i += 2;
      } else if (a.startsWith("--chdir=") || (a.startsWith("-C") && a.length() > 2)) {
        chdir = a.substring(a.startsWith("-C") ? 2 : "--chdir=".length());
        i++;
      } else if (a.equals("-S") || a.equals("--split-string") || a.matches("-[iv0]+S")) {
        split = i + 1 < args.size() ? args.get(i + 1) : new Field("", false);
        i += 2;
        break;
      } else if (a.startsWith("--split-string=") || a.startsWith("-S")) {
        String text = a.substring(a.startsWith("-S") ? 2 : "--split-string=".length());
        split = new Field(text, args.get(i).dynamic());
        i++;
        break;
      } else if (a.equals("-u") || a.equals("--unset") || a.equals("-P")) {
        i += 2;
      } else if (a.equals("-") || (a.startsWith("-") && !isAssignment(args.get(i)))) {
        i++;
      } else if (isAssignment(args.get(i))) {
        assignments.add(a);
        i++;
      } else {
        break;
      }
    }
    while (split != null && i < args.size() && isAssignment(args.get(i))) {
      assignments.add(args.get(i++).text());
    }
    if (split == null && i >= args.size()) {
      return null;
    }
    return new Unwrapped(
        "env",
        List.copyOf(args.subList(Math.min(i, args.size()), args.size())),
        assignments,
        false,
        chdir,
        split);
  }

  private static Unwrapped xargs(List<Field> args) {
    int i =
        skipOptions(
            args,
            0,
            "adEILnPs",
            Set.of(
                "--arg-file",
                "--delimiter",
                "--max-args",
                "--max-procs",
                "--max-chars",
                "--process-slot-var"));
    List<Field> command =
        i < args.size() ? args.subList(i, args.size()) : List.of(new Field("echo", false));
    return new Unwrapped("xargs", List.copyOf(command), List.of(), true, null, null);
  }

  /**
   * The text xargs replaces with each input line ({@code -I R}, {@code -i}, {@code --replace}), or
   * null.
   */
  static String xargsPlaceholder(List<Field> args) {
    int end =
        skipOptions(
            args,
            0,
            "adEILnPs",
            Set.of(
                "--arg-file",
                "--delimiter",
                "--max-args",
                "--max-procs",
                "--max-chars",
                "--process-slot-var"));
    for (int i = 0; i < end; i++) {
      String a = args.get(i).text();
      if (a.equals("-I") && i + 1 < end) {
        return args.get(i + 1).text();
      } else if (a.startsWith("-I") || a.startsWith("-i")) {
        return a.length() > 2 ? a.substring(2) : "{}";
      } else if (a.startsWith("--replace")) {
        return a.startsWith("--replace=") ? a.substring("--replace=".length()) : "{}";
      }
    }
    return null;
  }

  private static Unwrapped result(
      String label,
      List<Field> args,
      int i,
      List<String> assignments,
      boolean dynamic,
      String chdir,
      Field split) {
    if (i >= args.size()) {
      return null;
    }
    return new Unwrapped(
        label, List.copyOf(args.subList(i, args.size())), assignments, dynamic, chdir, split);
  }

  /**
   * The index of the first word after the options starting at {@code from}: {@code --} ends them;
   * long options in {@code longWithArg} and short letters in {@code shortWithArg} take the next
   * word unless written attached.
   */
  static int skipOptions(List<Field> args, int from, String shortWithArg, Set<String> longWithArg) {
    int i = from;
    while (i < args.size() && !args.get(i).dynamic()) {
      String a = args.get(i).text();
      if (a.equals("--")) {
        return i + 1;
      }
      if (a.startsWith("--")) {
        i += a.indexOf('=') < 0 && longWithArg.contains(a) ? 2 : 1;
        continue;
      }
      if (!a.startsWith("-") || a.length() < 2) {
        return i;
      }
      int consumed = 1;
      for (int j = 1; j < a.length(); j++) {
        if (shortWithArg.indexOf(a.charAt(j)) >= 0) {
          consumed = j == a.length() - 1 ? 2 : 1;
          break;
        }
      }
      i += consumed;
    }
    return Math.min(i, args.size());
  }

  static boolean isAssignment(Field field) {
    String text = field.text();
    int eq = text.indexOf('=');
    if (eq <= 0) {
      return false;
    }
    for (int i = 0; i < eq; i++) {
      char c = text.charAt(i);
      if (!(c == '_' || Character.isLetter(c) || (i > 0 && Character.isDigit(c)))) {
        return false;
      }
    }
    return true;
  }
}
