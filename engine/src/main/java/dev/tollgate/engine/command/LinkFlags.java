package dev.tollgate.engine.command;

import java.util.List;
import java.util.Map;

/**
 * Whether {@code ln} or {@code cp} makes links instead of copies. A link inside the workspace that
 * points at {@code ~/.ssh} turns a later, allowed read of a workspace file into a read of a key.
 *
 * @param symbolic {@code ln -s}, {@code cp -s} / {@code --symbolic-link}
 * @param hard {@code ln} without {@code -s}, {@code cp -l} / {@code --link}
 */
record LinkFlags(boolean symbolic, boolean hard) {

  static LinkFlags of(String name, List<String> args) {
    return switch (name) {
      case "ln" -> {
        boolean symbolic = has(args, 's', "--symbolic");
        yield new LinkFlags(symbolic, !symbolic);
      }
      case "cp" -> {
        boolean symbolic = has(args, 's', "--symbolic-link");
        boolean hard = has(args, 'l', "--link");
        yield symbolic || hard ? new LinkFlags(symbolic, hard) : null;
      }
      default -> null;
    };
  }

  private static boolean has(List<String> args, char shortFlag, String longFlag) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      if (arg.startsWith("--")
          ? arg.length() > 3 && longFlag.startsWith(arg)
          : arg.startsWith("-") && arg.indexOf(shortFlag) > 0) {
        return true;
      }
    }
    return false;
  }

  Map<String, Object> toFacts() {
    return Map.of("symbolic", symbolic, "hard", hard);
  }
}
