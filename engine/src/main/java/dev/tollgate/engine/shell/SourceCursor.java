package dev.tollgate.engine.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * The parser's position in one input text, plus the budgets shared by every text parsed for the
 * same command line (backtick bodies and here-document bodies get cursors of their own over the
 * same {@link Budget}).
 */
final class SourceCursor {

  /** Limits that keep parsing linear and bounded; crossing one makes the whole result opaque. */
  static final class Budget {
    static final int MAX_DEPTH = 64;
    static final int MAX_WORDS = 10_000;

    private int depth;
    private int words;

    void enter() throws ShellSyntaxException {
      if (++depth > MAX_DEPTH) {
        throw new ShellSyntaxException("nesting deeper than " + MAX_DEPTH + " levels", true);
      }
    }

    void leave() {
      depth--;
    }

    int depth() {
      return depth;
    }

    /**
     * After a nested parse that failed part-way (and so left its levels entered), back to where it
     * started.
     */
    void restore(int savedDepth) {
      depth = savedDepth;
    }

    void countWord() throws ShellSyntaxException {
      if (++words > MAX_WORDS) {
        throw new ShellSyntaxException("more than " + MAX_WORDS + " words", true);
      }
    }
  }

  private final String text;
  private final Budget budget;
  private final List<Redirect.HereDoc> pendingHereDocs = new ArrayList<>();
  private int pos;

  SourceCursor(String text, Budget budget) {
    this.text = text;
    this.budget = budget;
  }

  Budget budget() {
    return budget;
  }

  boolean atEnd() {
    return pos >= text.length();
  }

  /**
   * The current character, or NUL at the end (NUL cannot appear in a command line that reaches a
   * shell).
   */
  char peek() {
    return peek(0);
  }

  char peek(int ahead) {
    int at = pos + ahead;
    return at < text.length() ? text.charAt(at) : '\0';
  }

  char next() {
    return pos < text.length() ? text.charAt(pos++) : '\0';
  }

  boolean startsWith(String prefix) {
    return text.startsWith(prefix, pos);
  }

  boolean eat(String prefix) {
    if (text.startsWith(prefix, pos)) {
      pos += prefix.length();
      return true;
    }
    return false;
  }

  int pos() {
    return pos;
  }

  void seek(int to) {
    pos = Math.min(Math.max(to, 0), text.length());
  }

  int length() {
    return text.length();
  }

  char charAt(int at) {
    return at >= 0 && at < text.length() ? text.charAt(at) : '\0';
  }

  String slice(int from, int to) {
    return text.substring(Math.max(0, from), Math.min(to, text.length()));
  }

  /** Here-documents whose operator has been read but whose body starts at the next newline. */
  List<Redirect.HereDoc> pendingHereDocs() {
    return pendingHereDocs;
  }

  ShellSyntaxException error(String message) {
    String near = atEnd() ? "end of input" : "'" + slice(pos, pos + 10).replace("\n", "\\n") + "'";
    return new ShellSyntaxException(message + " near " + near + " (offset " + pos + ")", false);
  }
}
