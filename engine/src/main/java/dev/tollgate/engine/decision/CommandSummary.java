package dev.tollgate.engine.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a shell command will do, in lines a human approver reads: the command line as given, then
 * every command it runs (its arguments after quote removal, where it runs, what it was reached
 * through), the code it hands to interpreters, the files it writes and what cannot be known. An
 * approver asked about {@code git $'pu\x73h'} sees {@code git push}.
 */
public final class CommandSummary {

  private static final int MAX_LINES = 24;
  private static final int MAX_LINE = 240;

  private CommandSummary() {}

  /** The summary of a Bash resource (as {@link ResourceDeriver} derives it). */
  public static String of(Map<String, Object> resource) {
    List<String> lines = new ArrayList<>();
    lines.add(String.valueOf(resource.get("command")));
    for (Map<?, ?> command : maps(resource.get("commands"))) {
      StringBuilder line = new StringBuilder("runs ").append(command.get("name"));
      for (Object arg : list(command.get("args"))) {
        line.append(' ').append(quoted(String.valueOf(arg)));
      }
      List<?> via = list(command.get("via"));
      if (!via.isEmpty()) {
        line.append("  [via ")
            .append(String.join(" > ", via.stream().map(String::valueOf).toList()))
            .append(']');
      }
      if (Boolean.TRUE.equals(command.get("dynamic"))) {
        line.append("  [depends on run time]");
      }
      lines.add(line.toString());
    }
    for (Map<?, ?> code : maps(resource.get("inlineCode"))) {
      String file = String.valueOf(code.get("file"));
      lines.add(
          "code for "
              + code.get("program")
              + " from "
              + code.get("from")
              + (file.isEmpty() ? "" : " " + file)
              + ": "
              + code.get("code"));
    }
    for (Map<?, ?> redirect : maps(resource.get("redirects"))) {
      String op = String.valueOf(redirect.get("op"));
      String target = String.valueOf(redirect.get("target"));
      if (!target.isEmpty() && (op.contains(">") && !op.endsWith("&"))) {
        lines.add("writes " + target);
      }
    }
    for (Object reason : list(resource.get("opaqueReasons"))) {
      lines.add("cannot be known before it runs: " + reason);
    }
    List<String> bounded = new ArrayList<>();
    for (String line : lines.subList(0, Math.min(lines.size(), MAX_LINES))) {
      String single = line.replace('\n', ' ');
      bounded.add(single.length() > MAX_LINE ? single.substring(0, MAX_LINE - 1) + "…" : single);
    }
    if (lines.size() > MAX_LINES) {
      bounded.add("… and " + (lines.size() - MAX_LINES) + " more");
    }
    return String.join("\n", bounded);
  }

  /** An argument as the shell would need it written: quoted unless it is plain. */
  private static String quoted(String arg) {
    return arg.matches("[A-Za-z0-9_./:=@%+,^-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }

  private static List<?> list(Object value) {
    return value instanceof List<?> list ? list : List.of();
  }

  private static List<Map<?, ?>> maps(Object value) {
    List<Map<?, ?>> maps = new ArrayList<>();
    for (Object item : list(value)) {
      if (item instanceof Map<?, ?> map) {
        maps.add(map);
      }
    }
    return maps;
  }
}
