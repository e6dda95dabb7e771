package dev.tollgate.engine.shell;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the body of a {@code $'…'} word the way Bash does, so {@code $'pu\x73h'} is seen as
 * {@code push}. {@code \xHH} and octal escapes are bytes: runs of them are read as UTF-8 (so {@code
 * $'\xc3\xa9'} is {@code é}), a malformed byte becoming U+FFFD. Like Bash, the value ends at the
 * first NUL character.
 */
final class AnsiCDecoder {

  private final StringBuilder out;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private AnsiCDecoder(int capacity) {
    out = new StringBuilder(capacity);
  }

  static String decode(String body) {
    AnsiCDecoder decoder = new AnsiCDecoder(body.length());
    decoder.run(body);
    decoder.flushBytes();
    int nul = decoder.out.indexOf("\0");
    return nul >= 0 ? decoder.out.substring(0, nul) : decoder.out.toString();
  }

  private void flushBytes() {
    if (bytes.size() > 0) {
      out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
      bytes.reset();
    }
  }

  private void run(String body) {
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i++);
      boolean byteEscape =
          c == '\\'
              && i < body.length()
              && (body.charAt(i) == 'x' || (body.charAt(i) >= '0' && body.charAt(i) <= '7'));
      if (!byteEscape) {
        flushBytes();
      }
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
        case 'x' -> i = appendNumber(body, i, 16, 2, e);
        case 'u' -> i = appendNumber(body, i, 16, 4, e);
        case 'U' -> i = appendNumber(body, i, 16, 8, e);
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
            i = appendNumber(body, i - 1, 8, 3, e);
          } else {
            out.append('\\').append(e);
          }
        }
      }
    }
  }

  /**
   * Reads up to {@code maxDigits} digits of {@code radix} at {@code from}; returns the index after
   * them.
   */
  private int appendNumber(String body, int from, int radix, int maxDigits, char escape) {
    int value = 0;
    int i = from;
    while (i < body.length() && i - from < maxDigits && asciiDigit(body.charAt(i), radix) >= 0) {
      value = value * radix + asciiDigit(body.charAt(i), radix);
      i++;
    }
    if (i == from) {
      // Bash keeps "\x" (no digits) as written.
      flushBytes();
      out.append('\\').append(escape);
      return i;
    }
    if (radix == 8 || escape == 'x') {
      bytes.write(value & 0xff);
    } else if (Character.isValidCodePoint(value)) {
      out.appendCodePoint(value);
    } else {
      out.append('\ufffd');
    }
    return i;
  }

  /** The value of an ASCII digit in {@code radix}, or -1 (Bash knows no other digits). */
  private static int asciiDigit(char c, int radix) {
    return c < 128 ? Character.digit(c, radix) : -1;
  }
}
