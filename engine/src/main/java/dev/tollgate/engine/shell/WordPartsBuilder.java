package dev.tollgate.engine.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the parts of a word for the {@link WordReader}, merging adjacent literal text of the
 * same quotedness.
 */
final class WordPartsBuilder {

  private final List<WordPart> parts = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();
  private boolean textQuoted;
  private boolean hasText;
  private boolean subscriptAllowed;

  /**
   * Where an assignment may stand, {@code name[} opens a subscript (see {@link #atIdentifier()}).
   */
  WordPartsBuilder(boolean subscriptAllowed) {
    this.subscriptAllowed = subscriptAllowed;
  }

  /** True, once, when all read so far is an unquoted name and a subscript may follow it. */
  boolean atIdentifier() {
    if (!subscriptAllowed
        || !parts.isEmpty()
        || !hasText
        || textQuoted
        || text.length() == 0
        || !(Character.isLetter(text.charAt(0)) || text.charAt(0) == '_')) {
      return false;
    }
    for (int i = 1; i < text.length(); i++) {
      if (!Character.isLetterOrDigit(text.charAt(i)) && text.charAt(i) != '_') {
        return false;
      }
    }
    subscriptAllowed = false;
    return true;
  }

  void literal(String s, boolean quoted) {
    if (hasText && quoted != textQuoted) {
      flush();
    }
    text.append(s);
    textQuoted = quoted;
    hasText = true;
  }

  void add(WordPart part) {
    flush();
    parts.add(part);
  }

  private void flush() {
    if (hasText) {
      parts.add(new WordPart.Literal(text.toString(), textQuoted));
      text.setLength(0);
      hasText = false;
    }
  }

  List<WordPart> build() {
    flush();
    return parts;
  }
}
