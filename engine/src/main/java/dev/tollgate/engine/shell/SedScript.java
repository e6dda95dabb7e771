package dev.tollgate.engine.shell;

/**
 * Just enough of sed's script language to tell whether a script runs commands ({@code e}, the
 * {@code e} flag of {@code s}) or writes files ({@code w}, {@code W}, the {@code w} flag of {@code
 * s}): the sed scripts a policy must see. Reading is forgiving: anything unclear counts as running.
 */
final class SedScript {

  private final String s;
  private int i;

  private SedScript(String script) {
    this.s = script;
  }

  /** True when {@code script} may execute a command or write a file. */
  static boolean executesOrWrites(String script) {
    return new SedScript(script).scan();
  }

  private boolean scan() {
    while (i < s.length()) {
      skipAddress();
      if (i >= s.length()) {
        return false;
      }
      char c = s.charAt(i++);
      switch (c) {
        case 'e', 'w', 'W' -> {
          return true;
        }
        case 's' -> {
          if (substitutionRunsOrWrites()) {
            return true;
          }
        }
        case 'y' -> {
          if (!skipDelimited(2)) {
            return true;
          }
        }
        case 'a', 'i', 'c', 'r', 'R', ':', 'b', 't', 'T', 'q', 'Q', 'l', 'L', 'v' ->
            skipToLineEnd(c);
        default -> {
          // p, d, n, N, g, G, h, H, x, =, z, F, P, D, {, }, ;, blanks: nothing to skip
        }
      }
    }
    return false;
  }

  private void skipAddress() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isDigit(c)
          || c == '$'
          || c == ','
          || c == '!'
          || c == '~'
          || c == '+'
          || Character.isWhitespace(c)
          || c == ';') {
        i++;
      } else if (c == '/') {
        i++;
        skipUntil('/');
      } else if (c == '\\' && i + 1 < s.length()) {
        char delimiter = s.charAt(i + 1);
        i += 2;
        skipUntil(delimiter);
      } else if ((c == 'I' || c == 'M') && i > 0 && s.charAt(i - 1) == '/') {
        i++;
      } else {
        return;
      }
    }
  }

  /**
   * After {@code s}: the pattern and replacement, then the flags, where {@code e} and {@code w}
   * matter.
   */
  private boolean substitutionRunsOrWrites() {
    if (!skipDelimited(2)) {
      return true;
    }
    while (i < s.length()) {
      char f = s.charAt(i);
      if (f == 'e' || f == 'w') {
        return true;
      }
      if (f == ';' || f == '\n' || f == '}') {
        return false;
      }
      i++;
    }
    return false;
  }

  /** Skips a delimiter and {@code parts} delimited parts; false when the script ends first. */
  private boolean skipDelimited(int parts) {
    if (i >= s.length()) {
      return false;
    }
    char delimiter = s.charAt(i++);
    for (int p = 0; p < parts; p++) {
      if (!skipUntil(delimiter)) {
        return false;
      }
    }
    return true;
  }

  private boolean skipUntil(char delimiter) {
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == '\\') {
        i++;
      } else if (c == delimiter) {
        return true;
      }
    }
    return false;
  }

  private void skipToLineEnd(char command) {
    // Labels and branches end at ';' in GNU sed; text and file names run to the end of the line.
    boolean semicolonEnds = ":btTqQlLv".indexOf(command) >= 0;
    while (i < s.length() && s.charAt(i) != '\n' && !(semicolonEnds && s.charAt(i) == ';')) {
      i++;
    }
  }
}
