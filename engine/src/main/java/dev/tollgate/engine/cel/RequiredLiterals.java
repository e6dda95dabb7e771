package dev.tollgate.engine.cel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Strings of which every match of a regular expression contains at least one: {@code
 * (^|/)\.env$|^/etc/} cannot match text that holds neither {@code .env} nor {@code /etc/}. Lets
 * {@link RegexCache} answer most calls of a rule's {@code matches} with {@link String#contains}
 * instead of running RE2's automaton, which was the largest part of the secrets and start-up-file
 * rules over a shell command's paths.
 *
 * <p>Conservative by construction: it reads only top-level alternatives and, in each, characters
 * that stand outside any group, class or repetition that could skip them; anything it does not
 * understand (flags, {@code \x}, {@code \p}, {@code \Q}, back-references) means no filter at all. A
 * randomized test holds it to RE2's own answer.
 */
final class RequiredLiterals {

  private RequiredLiterals() {}

  /**
   * The strings, one per top-level alternative (the longest literal run in it); empty when some
   * alternative has none or the pattern uses syntax this does not read.
   */
  static Optional<List<String>> of(String regex) {
    if (regex.contains("(?") || regex.contains("\\Q")) {
      return Optional.empty();
    }
    List<String> required = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    String best = "";
    int depth = 0;
    for (int i = 0; i < regex.length(); i++) {
      char ch = regex.charAt(i);
      if (depth > 0) {
        // Inside a group: nothing is required, only the nesting is followed.
        switch (ch) {
          case '\\' -> i++;
          case '[' -> i = classEnd(regex, i);
          case '(' -> depth++;
          case ')' -> depth--;
          default -> {}
        }
        if (i < 0) {
          return Optional.empty();
        }
        if (depth == 0) {
          i = skipQuantifier(regex, i + 1) - 1;
        }
        continue;
      }
      char literal = 0;
      switch (ch) {
        case '|' -> {
          best = longer(best, run);
          if (best.isEmpty()) {
            return Optional.empty();
          }
          required.add(best);
          best = "";
          run.setLength(0);
          continue;
        }
        case '(' -> depth = 1;
        case '[' -> {
          i = classEnd(regex, i);
          if (i < 0) {
            return Optional.empty();
          }
          i = skipQuantifier(regex, i + 1) - 1;
        }
        case '\\' -> {
          if (i + 1 >= regex.length()) {
            return Optional.empty();
          }
          char escaped = regex.charAt(++i);
          if (escaped < 128 && !Character.isLetterOrDigit(escaped)) {
            literal = escaped;
          } else if ("dDwWsSbBAz".indexOf(escaped) < 0) {
            return Optional.empty();
          }
        }
        case '.', '^', '$' -> {}
        case '*', '+', '?', '{', ')', ']', '}' -> {
          return Optional.empty();
        }
        default -> literal = ch < 128 ? ch : 0;
      }
      if (literal == 0) {
        best = longer(best, run);
        run.setLength(0);
        if (ch != '(') {
          i = skipQuantifier(regex, i + 1) - 1;
        }
        continue;
      }
      int next = i + 1;
      char quantifier = next < regex.length() ? regex.charAt(next) : 0;
      if (quantifier == '?' || quantifier == '*' || quantifier == '{') {
        // The character may be absent: the run ends before it.
        best = longer(best, run);
        run.setLength(0);
        i = skipQuantifier(regex, next) - 1;
      } else if (quantifier == '+') {
        // At least once: it is required, but what follows need not be next to it.
        run.append(literal);
        best = longer(best, run);
        run.setLength(0);
        i = skipQuantifier(regex, next) - 1;
      } else {
        run.append(literal);
      }
    }
    if (depth != 0) {
      return Optional.empty();
    }
    best = longer(best, run);
    if (best.isEmpty()) {
      return Optional.empty();
    }
    required.add(best);
    return Optional.of(List.copyOf(required));
  }

  private static String longer(String best, StringBuilder run) {
    return run.length() > best.length() ? run.toString() : best;
  }

  /** The index of the {@code ]} closing the class opened at {@code open}, or -1. */
  private static int classEnd(String regex, int open) {
    int i = open + 1;
    if (i < regex.length() && regex.charAt(i) == '^') {
      i++;
    }
    if (i < regex.length() && regex.charAt(i) == ']') {
      i++;
    }
    for (; i < regex.length(); i++) {
      char ch = regex.charAt(i);
      if (ch == '\\') {
        i++;
      } else if (ch == '[' && i + 1 < regex.length() && regex.charAt(i + 1) == ':') {
        int end = regex.indexOf(":]", i + 2);
        if (end < 0) {
          return -1;
        }
        i = end + 1;
      } else if (ch == ']') {
        return i;
      }
    }
    return -1;
  }

  /** The index after any quantifier ({@code ? * + {n,m}}, possibly lazy) starting at {@code i}. */
  private static int skipQuantifier(String regex, int i) {
    if (i >= regex.length()) {
      return i;
    }
    char ch = regex.charAt(i);
    if (ch == '?' || ch == '*' || ch == '+') {
      i++;
    } else if (ch == '{') {
      int end = regex.indexOf('}', i);
      if (end < 0) {
        return i;
      }
      i = end + 1;
    } else {
      return i;
    }
    if (i < regex.length() && regex.charAt(i) == '?') {
      i++;
    }
    return i;
  }
}
