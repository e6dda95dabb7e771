package dev.tollgate.engine.cel;

import java.util.regex.Pattern;

/**
 * Backs the CEL function {@code path.mayMatchName(name)}: whether some segment of a path, literal
 * or a glob ({@code *}, {@code ?}, {@code [...]}, {@code {a,b}}), is or could expand to the file
 * name {@code name}. A secrets rule asks {@code p.mayMatchName('.env')} and catches {@code .env},
 * {@code .e*}, {@code .en?}, {@code .[e]nv} and {@code {x,.env}} alike, which no regex over the
 * text does.
 *
 * <p>As in the shell, a leading dot must be matched by a leading dot: {@code *} and {@code **} do
 * not reach dotfiles, so {@code **}{@code /*.py} does not look like a secret. Malformed globs count
 * as a match: the rule fails closed.
 */
final class PathGlob {

  private static final int MAX_SEGMENT = 512;

  private PathGlob() {}

  static boolean mayMatchName(String path, String name) {
    for (String segment : path.split("/")) {
      if (!segment.isEmpty() && segmentMatches(segment, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean segmentMatches(String segment, String name) {
    if (segment.equals(name)) {
      return true;
    }
    if (!hasGlob(segment)) {
      return false;
    }
    if (segment.length() > MAX_SEGMENT) {
      return true;
    }
    if (name.startsWith(".")
        && !segment.startsWith(".")
        && !segment.startsWith("{")
        && !segment.startsWith("\\.")) {
      return false;
    }
    try {
      return Pattern.compile(toRegex(segment)).matcher(name).matches();
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  private static boolean hasGlob(String segment) {
    for (int i = 0; i < segment.length(); i++) {
      if ("*?[{\\".indexOf(segment.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static String toRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    int braces = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '\\' -> {
          if (i + 1 < glob.length()) {
            regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
          }
        }
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        case '[' -> i = bracket(glob, i, regex);
        case '{' -> {
          braces++;
          regex.append("(?:");
        }
        case '}' -> {
          if (braces > 0) {
            braces--;
            regex.append(')');
          } else {
            regex.append("\\}");
          }
        }
        case ',' -> regex.append(braces > 0 ? "|" : ",");
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (braces > 0) {
      throw new IllegalArgumentException("unclosed brace in " + glob);
    }
    return regex.toString();
  }

  /** A bracket expression; an unclosed {@code [} is a literal, as in the shell. */
  private static int bracket(String glob, int open, StringBuilder regex) {
    int close = glob.indexOf(']', open + 2);
    if (close < 0) {
      regex.append("\\[");
      return open;
    }
    String body = glob.substring(open + 1, close);
    boolean negated = body.startsWith("!") || body.startsWith("^");
    if (negated) {
      body = body.substring(1);
    }
    StringBuilder set = new StringBuilder("[").append(negated ? "^" : "");
    for (char c : body.toCharArray()) {
      set.append(c == '-' ? "-" : Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c);
    }
    regex.append(set).append(']');
    return close;
  }
}
