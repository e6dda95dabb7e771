package dev.tollgate.engine.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code x..y[..step]} form of brace expansion: integers (zero-padded as Bash does) or single
 * letters.
 */
final class BraceSequence {

  private BraceSequence() {}

  /**
   * The items of {@code body}, or null when it is not a sequence or has more than {@code max}
   * items.
   */
  static List<String> items(String body, int max) {
    String[] bounds = body.split("\\.\\.", -1);
    if (bounds.length < 2 || bounds.length > 3) {
      return null;
    }
    long step = 1;
    if (bounds.length == 3) {
      Long parsed = integer(bounds[2]);
      if (parsed == null) {
        return null;
      }
      step = Math.abs(parsed) == 0 ? 1 : Math.abs(parsed);
    }
    Long from = integer(bounds[0]);
    Long to = integer(bounds[1]);
    if (from != null && to != null) {
      if (Math.abs(to - from) / step + 1 > max) {
        return null;
      }
      int width =
          padded(bounds[0]) || padded(bounds[1])
              ? Math.max(bounds[0].length(), bounds[1].length())
              : 0;
      List<String> items = new ArrayList<>();
      for (long v = from; from <= to ? v <= to : v >= to; v += from <= to ? step : -step) {
        String digits = Long.toString(Math.abs(v));
        int pad = width - digits.length() - (v < 0 ? 1 : 0);
        items.add((v < 0 ? "-" : "") + "0".repeat(Math.max(0, pad)) + digits);
      }
      return items;
    }
    if (bounds[0].length() == 1
        && bounds[1].length() == 1
        && Character.isLetter(bounds[0].charAt(0))
        && Character.isLetter(bounds[1].charAt(0))) {
      char a = bounds[0].charAt(0);
      char b = bounds[1].charAt(0);
      List<String> items = new ArrayList<>();
      for (int c = a; a <= b ? c <= b : c >= b; c += a <= b ? step : -step) {
        items.add(String.valueOf((char) c));
      }
      return items;
    }
    return null;
  }

  private static Long integer(String s) {
    int start = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
    if (s.length() <= start || s.length() > 18) {
      return null;
    }
    for (int i = start; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return null;
      }
    }
    return Long.parseLong(s);
  }

  private static boolean padded(String s) {
    String digits = s.startsWith("-") ? s.substring(1) : s;
    return digits.length() > 1 && digits.startsWith("0");
  }
}
