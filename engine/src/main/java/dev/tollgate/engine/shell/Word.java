package dev.tollgate.engine.shell;

import java.util.List;

/**
 * A shell word: its parts in order and its source text.
 *
 * @param raw the word exactly as written, for messages and for dynamic parts kept "as written"
 */
record Word(List<WordPart> parts, String raw) {

  Word {
    parts = List.copyOf(parts);
  }

  /**
   * The word after quote removal when no part of it is expanded at run time (parameters,
   * substitutions, arithmetic, extended globs), else null. Globs, braces and tildes stay as
   * written: they are expanded later.
   */
  String literalText() {
    StringBuilder text = new StringBuilder();
    for (WordPart part : parts) {
      if (!(part instanceof WordPart.Literal literal)) {
        return null;
      }
      text.append(literal.text());
    }
    return text.toString();
  }

  /**
   * True when the word is plain unquoted text equal to {@code text}: how reserved words are
   * recognized.
   */
  boolean isBare(String text) {
    return parts.size() == 1
        && parts.get(0) instanceof WordPart.Literal literal
        && !literal.quoted()
        && literal.text().equals(text)
        && raw.equals(text);
  }
}
