package dev.tollgate.engine.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Permission modes as bits, whichever way they are written: octal ({@code 777}, {@code 1777},
 * {@code 0o2}) or symbolic ({@code a=rwx}, {@code o+w}, {@code +w}, {@code go=u}), from {@code
 * chmod}, {@code mkdir -m}, {@code install -m} and {@code umask}. A policy asks {@code
 * mode.worldWritable} instead of guessing every spelling with a regex.
 *
 * <p>Unreadable modes ({@code --reference=FILE}, a dynamic value) are {@code known: false} and
 * count as world-writable: the guard fails closed.
 *
 * @param known whether the mode could be read
 * @param worldWritable whether others may write (or, for umask, files created later will be)
 * @param setuid whether the set-user-id bit is set
 * @param setgid whether the set-group-id bit is set
 */
record FileMode(boolean known, boolean worldWritable, boolean setuid, boolean setgid) {

  private static final FileMode UNKNOWN = new FileMode(false, true, true, true);
  private static final Set<String> CHMOD_OPTIONS =
      Set.of(
          "-c",
          "-f",
          "-v",
          "-R",
          "-H",
          "-L",
          "-P",
          "--changes",
          "--silent",
          "--quiet",
          "--verbose",
          "--recursive",
          "--no-preserve-root",
          "--preserve-root",
          "--dereference",
          "--no-dereference",
          "--");

  /** The mode a command sets, or null when it sets none. */
  static FileMode of(String name, List<String> args) {
    return switch (name) {
      case "chmod" -> chmod(args);
      case "mkdir", "install", "mkfifo", "mknod" -> optionMode(args);
      case "umask" -> umask(args);
      default -> null;
    };
  }

  private static FileMode chmod(List<String> args) {
    for (String arg : args) {
      if (arg.startsWith("--reference")) {
        return UNKNOWN;
      }
      if (!CHMOD_OPTIONS.contains(arg)) {
        return parse(arg);
      }
    }
    return null;
  }

  private static FileMode optionMode(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if ((arg.equals("-m") || arg.equals("--mode")) && i + 1 < args.size()) {
        return parse(args.get(i + 1));
      }
      if (arg.startsWith("--mode=")) {
        return parse(arg.substring("--mode=".length()));
      }
      if (arg.startsWith("-") && !arg.startsWith("--")) {
        // Bundled short options ({@code -pm777}, {@code -pm 777}); g, o, S and t take a value
        // first.
        for (int c = 1; c < arg.length() && "goSt".indexOf(arg.charAt(c)) < 0; c++) {
          if (arg.charAt(c) == 'm') {
            String value =
                c + 1 < arg.length()
                    ? arg.substring(c + 1)
                    : i + 1 < args.size() ? args.get(i + 1) : "";
            return parse(value);
          }
        }
      }
    }
    return null;
  }

  /** umask clears bits: files become world-writable when others' write bit is not masked. */
  private static FileMode umask(List<String> args) {
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        if (!arg.matches("[0-7]{1,4}")) {
          return arg.matches("[ugoa]*[=+-][rwx]*(,[ugoa]*[=+-][rwx]*)*")
              ? umaskSymbolic(arg)
              : UNKNOWN;
        }
        int mask = Integer.parseInt(arg, 8);
        return new FileMode(true, (mask & 02) == 0, false, false);
      }
    }
    return null;
  }

  private static FileMode umaskSymbolic(String arg) {
    FileMode granted = symbolic(arg);
    return granted == null ? UNKNOWN : new FileMode(true, granted.worldWritable, false, false);
  }

  static FileMode parse(String mode) {
    String octal = mode.startsWith("0o") ? mode.substring(2) : mode;
    if (octal.matches("[0-7]{1,5}")) {
      int bits = Integer.parseInt(octal, 8);
      return new FileMode(true, (bits & 02) != 0, (bits & 04000) != 0, (bits & 02000) != 0);
    }
    FileMode symbolic = symbolic(mode);
    return symbolic == null ? UNKNOWN : symbolic;
  }

  /**
   * Symbolic clauses {@code [ugoa]*([-+=]([rwxXst]*|[ugo]))+}, comma separated; null if malformed.
   */
  private static FileMode symbolic(String mode) {
    boolean worldWritable = false;
    boolean setuid = false;
    boolean setgid = false;
    for (String clause : mode.split(",", -1)) {
      int i = 0;
      while (i < clause.length() && "ugoa".indexOf(clause.charAt(i)) >= 0) {
        i++;
      }
      String who = clause.substring(0, i);
      boolean all = who.isEmpty() || who.contains("a");
      if (i == clause.length()) {
        return null;
      }
      while (i < clause.length()) {
        char op = clause.charAt(i++);
        if ("+-=".indexOf(op) < 0) {
          return null;
        }
        int start = i;
        while (i < clause.length() && "+-=".indexOf(clause.charAt(i)) < 0) {
          i++;
        }
        String perms = clause.substring(start, i);
        if (!perms.matches("[rwxXst]*|[ugo]")) {
          return null;
        }
        if (op == '-') {
          continue;
        }
        // Copying another class's bits ({@code o=u}) may copy a write bit: count it as one.
        boolean writes = perms.contains("w") || perms.matches("[ugo]");
        worldWritable |= writes && (all || who.contains("o"));
        setuid |= perms.contains("s") && (all || who.contains("u"));
        setgid |= perms.contains("s") && (all || who.contains("g"));
      }
    }
    return new FileMode(true, worldWritable, setuid, setgid);
  }

  Map<String, Object> toFacts() {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("known", known);
    facts.put("worldWritable", worldWritable);
    facts.put("setuid", setuid);
    facts.put("setgid", setgid);
    return facts;
  }
}
