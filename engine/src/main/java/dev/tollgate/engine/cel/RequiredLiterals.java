package dev.tollgate.engine.cel;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Strings of which every match of a regular expression contains at least one: {@code
 * (^|/)\.env$|^/etc/} cannot match text that holds neither {@code .env} nor {@code /etc/}, and
 * {@code ^(mkfs|wipefs)$} none that holds neither name. Lets {@link RegexCache} answer most calls
 * of a rule's {@code matches} with {@link String#contains} instead of running RE2's automaton,
 * which was the largest part of the secrets and start-up-file rules over a shell command's paths.
 *
 * <p>Conservative by construction: in a sequence, a literal run or a group that must occur is
 * required (the one with the longest strings is kept); an alternation requires one of what each
 * alternative requires; anything that may be absent (a class, {@code .}, a quantifier that allows
 * zero) ends a run and requires nothing. Syntax it does not read (flags, {@code \x}, {@code \p},
 * {@code \Q}, back-references) means no filter at all. A randomized test holds it to RE2's answer.
 */
final class RequiredLiterals {

  private final String regex;
  private int at;

  private RequiredLiterals(String regex) {
    this.regex = regex;
  }

  /** The strings, or empty when nothing is certainly required or the syntax is not understood. */
  static Optional<List<String>> of(String regex) {
    if (regex.contains("(?") || regex.contains("\\Q")) {
      return Optional.empty();
    }
    try {
      RequiredLiterals parser = new RequiredLiterals(regex);
      Set<String> required = parser.alternation();
      if (parser.at != regex.length() || required == null) {
        return Optional.empty();
      }
      return Optional.of(List.copyOf(required));
    } catch (Unreadable e) {
      return Optional.empty();
    }
  }

  /** Alternatives up to the end or a closing parenthesis: one of each one's strings. */
  private Set<String> alternation() {
    Set<String> any = new LinkedHashSet<>();
    while (true) {
      Set<String> alternative = sequence();
      if (alternative == null) {
        any = null;
      } else if (any != null) {
        any.addAll(alternative);
      }
      if (at < regex.length() && regex.charAt(at) == '|') {
        at++;
        continue;
      }
      return any;
    }
  }

  /** One alternative: the best of its required pieces, or null when none. */
  private Set<String> sequence() {
    Set<String> best = null;
    StringBuilder run = new StringBuilder();
    while (at < regex.length()) {
      char ch = regex.charAt(at);
      if (ch == '|' || ch == ')') {
        break;
      }
      Set<String> piece = null;
      char literal = 0;
      switch (ch) {
        case '(' -> {
          at++;
          piece = alternation();
          if (at >= regex.length() || regex.charAt(at) != ')') {
            throw new Unreadable();
          }
          at++;
        }
        case '[' -> at = classEnd(at) + 1;
        case '\\' -> {
          if (at + 1 >= regex.length()) {
            throw new Unreadable();
          }
          char escaped = regex.charAt(at + 1);
          if (escaped < 128 && !Character.isLetterOrDigit(escaped)) {
            literal = escaped;
          } else if ("dDwWsSbBAz".indexOf(escaped) < 0) {
            throw new Unreadable();
          }
          at += 2;
        }
        case '.', '^', '$' -> at++;
        case '*', '+', '?', '{', ']', '}' -> throw new Unreadable();
        default -> {
          literal = ch < 128 ? ch : 0;
          at++;
        }
      }
      char quantifier = at < regex.length() ? regex.charAt(at) : 0;
      boolean optional = quantifier == '?' || quantifier == '*' || quantifier == '{';
      at = skipQuantifier(at);
      if (literal != 0 && !optional) {
        run.append(literal);
        if (quantifier != '+') {
          continue;
        }
      }
      // The run ends here: what follows need not stand next to it.
      best = better(best, run.isEmpty() ? null : Set.of(run.toString()));
      run.setLength(0);
      if (!optional) {
        best = better(best, piece);
      }
    }
    return better(best, run.isEmpty() ? null : Set.of(run.toString()));
  }

  /** The set whose shortest string is longer: it rules out more texts. */
  private static Set<String> better(Set<String> a, Set<String> b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return shortest(b) > shortest(a) ? b : a;
  }

  private static int shortest(Set<String> strings) {
    int min = Integer.MAX_VALUE;
    for (String s : strings) {
      min = Math.min(min, s.length());
    }
    return min;
  }

  /** The index of the {@code ]} closing the class opened at {@code open}. */
  private int classEnd(int open) {
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
          throw new Unreadable();
        }
        i = end + 1;
      } else if (ch == ']') {
        return i;
      }
    }
    throw new Unreadable();
  }

  /** The index after any quantifier ({@code ? * + {n,m}}, possibly lazy) starting at {@code i}. */
  private int skipQuantifier(int i) {
    if (i >= regex.length()) {
      return i;
    }
    char ch = regex.charAt(i);
    if (ch == '?' || ch == '*' || ch == '+') {
      i++;
    } else if (ch == '{') {
      int end = regex.indexOf('}', i);
      if (end < 0) {
        throw new Unreadable();
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

  /** Syntax this reader does not follow: no filter. */
  private static final class Unreadable extends RuntimeException {
    Unreadable() {
      super(null, null, false, false);
    }
  }
}
