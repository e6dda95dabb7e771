package dev.tollgate.engine.shell;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Turns a parsed word into the argument strings the command will see, as far as they are known
 * before it runs: quotes removed, {@code ~} replaced by the home directory, literal braces
 * expanded. Anything that depends on run time (expansions, globs, {@code ~user}, braces too large
 * to expand) is kept as written and marked dynamic.
 */
final class WordExpander {

  /** One resulting argument. */
  record Field(String text, boolean dynamic) {}

  private WordExpander() {}

  /** The arguments {@code word} becomes (several when braces expand). */
  static List<Field> fields(Word word, String home) {
    boolean[] dynamic = {false};
    BraceExpander.Marked marked = mark(word, dynamic);
    if (marked.text().indexOf('{') < 0 || marked.active().isEmpty()) {
      return List.of(field(marked, dynamic[0], home));
    }
    List<BraceExpander.Marked> expanded = BraceExpander.expand(marked);
    if (expanded == null) {
      return List.of(new Field(marked.text(), true));
    }
    boolean quoted =
        word.parts().stream().anyMatch(p -> !(p instanceof WordPart.Literal l) || l.quoted());
    List<Field> fields = new ArrayList<>(expanded.size());
    for (BraceExpander.Marked each : expanded) {
      String text = each.text();
      boolean backslash = false;
      for (int i = text.indexOf('\\'); i >= 0; i = text.indexOf('\\', i + 1)) {
        backslash |= each.active().get(i);
      }
      if (backslash) {
        fields.add(new Field(removeActiveBackslashes(each), dynamic[0]));
      } else if (quoted || !text.isEmpty()) {
        fields.add(
            field(
                each,
                dynamic[0],
                home)); // an empty unquoted result is no argument at all, as in Bash
      }
    }
    return fields;
  }

  /**
   * Quote removal of the backslashes a brace sequence generated ({@code {Z..a}} passes through
   * {@code \}).
   */
  private static String removeActiveBackslashes(BraceExpander.Marked marked) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < marked.text().length(); i++) {
      if (marked.text().charAt(i) != '\\' || !marked.active().get(i)) {
        out.append(marked.text().charAt(i));
      }
    }
    return out.toString();
  }

  /** A word that stays one string (assignment value, redirection target, here-document body). */
  static Field single(Word word, String home) {
    boolean[] dynamic = {false};
    return field(mark(word, dynamic), dynamic[0], home);
  }

  /**
   * The field of one (brace-expanded) text. Tilde expansion comes after brace expansion, as in
   * Bash, so {@code {~,x}/.ssh} names the home directory too: {@code ~} and {@code ~/…} become it
   * when the prefix up to the first unquoted slash is unquoted; other prefixes ({@code ~user},
   * {@code ~+}) are dynamic.
   */
  private static Field field(BraceExpander.Marked marked, boolean dynamic, String home) {
    String text = marked.text();
    boolean isDynamic = dynamic || hasGlob(marked);
    int start = text.startsWith("~") ? 0 : assignmentTilde(marked);
    if (start >= 0 && marked.active().get(start)) {
      int end = start + 1;
      while (end < text.length() && !(text.charAt(end) == '/' && marked.active().get(end))) {
        end++;
      }
      if (marked.active().nextClearBit(start) >= end) {
        if (end == start + 1) {
          text = text.substring(0, start) + home + text.substring(start + 1);
        } else {
          isDynamic = true;
        }
      }
    }
    return new Field(text, isDynamic);
  }

  /**
   * In a word shaped like an assignment ({@code x=~/y}), Bash expands a tilde right after the
   * {@code =}.
   */
  private static int assignmentTilde(BraceExpander.Marked marked) {
    String text = marked.text();
    int eq = text.indexOf('=');
    if (eq <= 0
        || eq + 1 >= text.length()
        || text.charAt(eq + 1) != '~'
        || !(Character.isLetter(text.charAt(0)) || text.charAt(0) == '_')) {
      return -1;
    }
    for (int i = 0; i < eq; i++) {
      char c = text.charAt(i);
      if (!marked.active().get(i) || !(Character.isLetterOrDigit(c) || c == '_')) {
        return -1;
      }
    }
    return eq + 1;
  }

  private static BraceExpander.Marked mark(Word word, boolean[] dynamic) {
    StringBuilder text = new StringBuilder();
    BitSet active = new BitSet();
    for (WordPart part : word.parts()) {
      if (part instanceof WordPart.Literal literal) {
        if (!literal.quoted()) {
          active.set(text.length(), text.length() + literal.text().length());
        }
        text.append(literal.text());
      } else {
        dynamic[0] = true;
        text.append(part.raw());
      }
    }
    return new BraceExpander.Marked(text.toString(), active);
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
