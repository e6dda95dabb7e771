package dev.tollgate.engine.decision;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A best-effort split of a shell command into the programs it runs, so that policies can say {@code
 * 'sh' in resource.programs} for {@code curl … | sh}. It is not a shell parser: policies guarding
 * dangerous commands should also match {@code resource.command} with a regex.
 */
final class ShellCommand {

  private ShellCommand() {}

  /** The program of every pipeline stage, list element and command substitution, in order. */
  static List<String> programs(String command) {
    Set<String> programs = new LinkedHashSet<>();
    for (String segment : segments(command)) {
      String program = firstWord(segment);
      if (!program.isEmpty()) {
        programs.add(program);
      }
    }
    return List.copyOf(programs);
  }

  private static List<String> segments(String command) {
    List<String> segments = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      boolean separator =
          c == '|'
              || c == ';'
              || c == '&'
              || c == '\n'
              || c == '`'
              || c == '('
              || c == ')'
              || (c == '$' && i + 1 < command.length() && command.charAt(i + 1) == '(');
      if (separator) {
        segments.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    segments.add(current.toString());
    return segments;
  }

  // Compiled once: String.split and String.matches compile their pattern on every call, which
  // made this the largest allocation of a Bash decision.
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");

  private static String firstWord(String segment) {
    for (String word : WHITESPACE.split(segment.strip())) {
      String unquoted = word.replace("\"", "").replace("'", "");
      if (unquoted.isEmpty() || ASSIGNMENT.matcher(unquoted).matches()) {
        continue;
      }
      if (unquoted.equals("sudo")
          || unquoted.equals("env")
          || unquoted.equals("exec")
          || unquoted.equals("command")
          || unquoted.equals("nohup")
          || unquoted.equals("time")) {
        continue;
      }
      if (unquoted.startsWith("-") || unquoted.startsWith("<") || unquoted.startsWith(">")) {
        continue;
      }
      int slash = unquoted.lastIndexOf('/');
      return slash >= 0 ? unquoted.substring(slash + 1) : unquoted;
    }
    return "";
  }
}
