package dev.tollgate.engine.shell;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Turns a parsed word into the argument strings the command will see, as far as they are known before it runs:
 * quotes removed, {@code ~} replaced by the home directory, literal braces expanded. Anything that depends on run
 * time (expansions, globs, {@code ~user}, braces too large to expand) is kept as written and marked dynamic.
 */
final class WordExpander {

  /** One resulting argument. */
  record Field(String text, boolean dynamic) {}

  private WordExpander() {}

  /** The arguments {@code word} becomes (several when braces expand). */
  static List<Field> fields(Word word, String home) {
    boolean[] dynamic = {false};
    BraceExpander.Marked marked = mark(word, home, dynamic);
    if (marked.text().indexOf('{') < 0 || marked.active().isEmpty()) {
      return List.of(field(marked, dynamic[0]));
    }
    List<BraceExpander.Marked> expanded = BraceExpander.expand(marked);
    if (expanded == null) {
      return List.of(new Field(marked.text(), true));
    }
    List<Field> fields = new ArrayList<>(expanded.size());
    for (BraceExpander.Marked each : expanded) {
      fields.add(field(each, dynamic[0]));
    }
    return fields;
  }

  /** A word that stays one string (assignment value, redirection target, here-document body). */
  static Field single(Word word, String home) {
    boolean[] dynamic = {false};
    return field(mark(word, home, dynamic), dynamic[0]);
  }

  private static Field field(BraceExpander.Marked marked, boolean dynamic) {
    return new Field(marked.text(), dynamic || hasGlob(marked));
  }

  private static BraceExpander.Marked mark(Word word, String home, boolean[] dynamic) {
    StringBuilder text = new StringBuilder();
    BitSet active = new BitSet();
    List<WordPart> parts = word.parts();
    for (int p = 0; p < parts.size(); p++) {
      WordPart part = parts.get(p);
      if (part instanceof WordPart.Literal literal) {
        String value = literal.text();
        int replaced = 0;
        if (p == 0 && !literal.quoted() && value.startsWith("~")) {
          value = tilde(value, home, parts.size() > 1, dynamic);
          replaced = value.equals(literal.text()) ? 0 : home.length();
        }
        if (!literal.quoted()) {
          for (int i = text.length() + replaced; i < text.length() + value.length(); i++) {
            active.set(i);
          }
        }
        text.append(value);
      } else {
        dynamic[0] = true;
        text.append(part.raw());
      }
    }
    return new BraceExpander.Marked(text.toString(), active);
  }

  /** {@code ~} and {@code ~/x} become the home directory; other prefixes ({@code ~user}, {@code ~+}) are dynamic. */
  private static String tilde(String value, String home, boolean moreParts, boolean[] dynamic) {
    int slash = value.indexOf('/');
    if (slash < 0 && moreParts) {
      return value;
    }
    String prefix = slash < 0 ? value : value.substring(0, slash);
    if (prefix.equals("~")) {
      return home + value.substring(1);
    }
    dynamic[0] = true;
    return value;
  }

  private static boolean hasGlob(BraceExpander.Marked marked) {
    String text = marked.text();
    boolean bracket = false;
    for (int i = 0; i < text.length(); i++) {
      if (!marked.active().get(i)) {
        continue;
      }
      char c = text.charAt(i);
      if (c == '*' || c == '?') {
        return true;
      }
      if (c == '[') {
        bracket = true;
      } else if (c == ']' && bracket) {
        return true;
      }
    }
    return false;
  }
}
