package dev.tollgate.engine.shell;

/**
 * Decodes the body of a {@code $'…'} word the way Bash does, so {@code $'pu\x73h'} is seen as
 * {@code push}. Like Bash, the value ends at the first NUL character.
 */
final class AnsiCDecoder {

  private AnsiCDecoder() {}

  static String decode(String body) {
    StringBuilder out = new StringBuilder(body.length());
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i++);
      if (c != '\\' || i >= body.length()) {
        out.append(c);
        continue;
      }
      char e = body.charAt(i++);
      switch (e) {
        case 'a' -> out.append('\u0007');
        case 'b' -> out.append('\b');
        case 'e', 'E' -> out.append('\u001b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'v' -> out.append('\u000b');
        case '\\', '\'', '"', '?' -> out.append(e);
        case 'x' -> i = appendNumber(body, i, 16, 2, out, e);
        case 'u' -> i = appendNumber(body, i, 16, 4, out, e);
        case 'U' -> i = appendNumber(body, i, 16, 8, out, e);
        case 'c' -> {
          if (i < body.length()) {
            char x = body.charAt(i++);
            out.append(x == '?' ? '\u007f' : (char) (Character.toUpperCase(x) & 0x1f));
          } else {
            out.append("\\c");
          }
        }
        default -> {
          if (e >= '0' && e <= '7') {
            i = appendNumber(body, i - 1, 8, 3, out, e);
          } else {
            out.append('\\').append(e);
          }
        }
      }
      int nul = out.indexOf("\0");
      if (nul >= 0) {
        out.setLength(nul);
        return out.toString();
      }
    }
    return out.toString();
  }

  /**
   * Reads up to {@code maxDigits} digits of {@code radix} at {@code from}; returns the index after
   * them.
   */
  private static int appendNumber(
      String body, int from, int radix, int maxDigits, StringBuilder out, char escape) {
    int value = 0;
    int i = from;
    while (i < body.length()
        && i - from < maxDigits
        && Character.digit(body.charAt(i), radix) >= 0) {
      value = value * radix + Character.digit(body.charAt(i), radix);
      i++;
    }
    if (i == from) {
      // Bash keeps "\x" (no digits) as written.
      out.append('\\').append(escape);
      return i;
    }
    if (radix == 8 || escape == 'x') {
      // Octal and \x escapes are bytes; Bash emits them raw, which for ASCII is the same character.
      out.append((char) (value & 0xff));
    } else if (Character.isValidCodePoint(value)) {
      out.appendCodePoint(value);
    } else {
      out.append('\ufffd');
    }
    return i;
  }
}
