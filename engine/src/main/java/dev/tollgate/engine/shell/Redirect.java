package dev.tollgate.engine.shell;

/**
 * A redirection.
 *
 * @param op the operator ({@code >}, {@code >>}, {@code <<<}, {@code <<-}…)
 * @param fd the file descriptor written before it ({@code 2} in {@code 2>x}, {@code {v}} in {@code
 *     {v}>x}), or ""
 * @param target the file, descriptor or here-string word; for a here-document, its delimiter
 * @param hereDoc for a here-document, its body (a literal word when the delimiter was quoted), else
 *     null
 */
record Redirect(String op, String fd, Word target, HereDoc hereDoc) {

  /**
   * A here-document body. The parser meets the operator before the body (which starts on the next
   * line), so it fills this in once, when it reaches that line; {@code closed} is false when the
   * input ended before the delimiter line.
   */
  static final class HereDoc {
    final String delimiter;
    final boolean quoted;
    final boolean stripTabs;
    Word body;
    boolean closed;

    /**
     * Why an unquoted body's expansions could not be parsed (Bash parses them only when it runs
     * them), or null.
     */
    String unparsed;

    HereDoc(String delimiter, boolean quoted, boolean stripTabs) {
      this.delimiter = delimiter;
      this.quoted = quoted;
      this.stripTabs = stripTabs;
    }
  }

  boolean isHereDoc() {
    return op.startsWith("<<") && !op.equals("<<<");
  }
}
