package dev.tollgate.engine.shell;

import java.util.List;

/**
 * Reads one shell word at the cursor: quotes, escapes, {@code $'…'}, parameter expansions, command,
 * process and arithmetic substitutions, extended globs. Command substitutions are handed back to
 * the {@link ScriptParser}, so their commands end up in the same AST.
 */
final class WordReader {

  /** Where the word is: which characters end it and which quotes are active. */
  enum Mode {
    /** An ordinary word: ends at a blank or a metacharacter. */
    NORMAL,
    /** Inside {@code "…"}: ends at the closing quote. */
    DOUBLE_QUOTED,
    /** An unquoted here-document body: only {@code $}, backquote and backslash are special. */
    HERE_DOC,
    /** The inside of {@code ${…}}: ends at the closing brace; blanks are part of it. */
    PARAMETER,
    /** The inside of {@code "${…}"}: as PARAMETER, but single quotes are plain characters. */
    PARAMETER_IN_QUOTES,
    /**
     * The right-hand side of {@code =~} in {@code [[ ]]}: parentheses and bars are part of the
     * regex.
     */
    REGEX,
    /**
     * The subscript of {@code name[…]} where an assignment may stand: blanks are part of it, as in
     * Bash.
     */
    SUBSCRIPT
  }

  private final SourceCursor in;
  private final ScriptParser parser;

  WordReader(SourceCursor in, ScriptParser parser) {
    this.in = in;
    this.parser = parser;
  }

  static boolean isMeta(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<'
        || c == '>' || c == '(' || c == ')' || c == '\0';
  }

  /**
   * Reads a word in {@code mode}; null when there is none at the cursor (NORMAL and REGEX only).
   */
  Word read(Mode mode) throws ShellSyntaxException {
    return read(mode, false);
  }

  /**
   * As {@link #read(Mode)}; where an assignment may stand ({@code assignmentPosition}), {@code
   * name[} opens a subscript that runs to the matching {@code ]}, blanks included, as Bash reads
   * it.
   */
  Word read(Mode mode, boolean assignmentPosition) throws ShellSyntaxException {
    in.budget().countWord();
    int start = in.pos();
    WordPartsBuilder parts = new WordPartsBuilder(assignmentPosition);
    readInto(parts, mode);
    if (in.pos() == start && (mode == Mode.NORMAL || mode == Mode.REGEX)) {
      return null;
    }
    return new Word(parts.build(), in.slice(start, in.pos()));
  }

  private void readInto(WordPartsBuilder parts, Mode mode) throws ShellSyntaxException {
    boolean quotedText =
        mode == Mode.DOUBLE_QUOTED || mode == Mode.HERE_DOC || mode == Mode.PARAMETER_IN_QUOTES;
    int parens = 0;
    while (!in.atEnd()) {
      char c = in.peek();
      if (mode == Mode.SUBSCRIPT && (c == '[' || c == ']')) {
        if (c == ']' && parens == 0) {
          return;
        }
        parens += c == '[' ? 1 : -1;
      }
      if (mode == Mode.NORMAL && c == '[' && parts.atIdentifier()) {
        in.next();
        parts.literal("[", false);
        readInto(parts, Mode.SUBSCRIPT);
        if (!in.eat("]")) {
          throw in.error("unexpected end while looking for the matching ]");
        }
        parts.literal("]", false);
        continue;
      }
      if (mode == Mode.NORMAL || mode == Mode.REGEX) {
        if ((c == '<' || c == '>') && in.peek(1) == '(') {
          in.next();
          in.next();
          parts.add(substitution(c + "(", in.pos() - 2));
          continue;
        }
        if (mode == Mode.REGEX
            && (c == '(' || (c == ')' && parens > 0) || (c == '|' && parens > 0))) {
          parens += c == '(' ? 1 : c == ')' ? -1 : 0;
          parts.literal(String.valueOf(in.next()), false);
          continue;
        }
        if (isMeta(c)) {
          return;
        }
        if ("@!*+?".indexOf(c) >= 0 && in.peek(1) == '(') {
          parts.add(extGlob());
          continue;
        }
      }
      if ((mode == Mode.PARAMETER || mode == Mode.PARAMETER_IN_QUOTES) && c == '}') {
        return;
      }
      if (mode == Mode.DOUBLE_QUOTED && c == '"') {
        return;
      }
      switch (c) {
        case '\\' -> backslash(parts, mode);
        case '\'' -> {
          if (quotedText) {
            parts.literal(String.valueOf(in.next()), true);
          } else {
            parts.literal(singleQuoted(), true);
          }
        }
        case '"' -> {
          if (mode == Mode.HERE_DOC) {
            parts.literal(String.valueOf(in.next()), true);
          } else {
            in.next();
            readInto(parts, Mode.DOUBLE_QUOTED);
            if (!in.eat("\"")) {
              throw in.error("unterminated double quote");
            }
            parts.literal("", true);
          }
        }
        case '`' ->
            parts.add(backquoted(mode == Mode.DOUBLE_QUOTED || mode == Mode.PARAMETER_IN_QUOTES));
        case '$' -> dollar(parts, mode, quotedText);
        default -> parts.literal(String.valueOf(in.next()), quotedText);
      }
    }
  }

  private void backslash(WordPartsBuilder parts, Mode mode) {
    in.next();
    if (in.atEnd()) {
      parts.literal("\\", true);
      return;
    }
    char next = in.next();
    if (next == '\n') {
      return; // a line continuation disappears everywhere but inside single quotes
    }
    boolean escapes =
        switch (mode) {
          case DOUBLE_QUOTED, PARAMETER_IN_QUOTES -> "$`\"\\".indexOf(next) >= 0;
          case HERE_DOC -> "$`\\".indexOf(next) >= 0;
          default -> true;
        };
    parts.literal(escapes ? String.valueOf(next) : "\\" + next, true);
  }

  private String singleQuoted() throws ShellSyntaxException {
    in.next();
    int start = in.pos();
    while (!in.atEnd() && in.peek() != '\'') {
      in.next();
    }
    if (!in.eat("'")) {
      throw in.error("unterminated single quote");
    }
    return in.slice(start, in.pos() - 1);
  }

  private void dollar(WordPartsBuilder parts, Mode mode, boolean quotedText)
      throws ShellSyntaxException {
    int start = in.pos();
    in.next();
    char c = in.peek();
    if (c == '\'' && !quotedText) {
      in.next();
      int body = in.pos();
      while (!in.atEnd() && in.peek() != '\'') {
        if (in.next() == '\\') {
          in.next();
        }
      }
      if (!in.eat("'")) {
        throw in.error("unterminated $' string");
      }
      parts.literal(AnsiCDecoder.decode(in.slice(body, in.pos() - 1)), true);
    } else if (c == '"' && !quotedText) {
      in.next(); // $"…" is a translatable string: for us, a double-quoted one
      readInto(parts, Mode.DOUBLE_QUOTED);
      if (!in.eat("\"")) {
        throw in.error("unterminated $\" string");
      }
      parts.literal("", true);
    } else if (c == '(' && in.peek(1) == '(' && arithmeticEnd(in.pos() + 2) > 0) {
      int end = arithmeticEnd(in.pos() + 2);
      Word inner = arithmeticText(in.pos() + 2, end - 2);
      in.seek(end);
      parts.add(new WordPart.Arithmetic(in.slice(start, in.pos()), List.of(inner)));
    } else if (c == '(') {
      in.next();
      parts.add(substitution("$(", start));
    } else if (c == '[') {
      skipBalanced('[', ']');
      Word inner = arithmeticText(start + 2, in.pos() - 1);
      parts.add(new WordPart.Arithmetic(in.slice(start, in.pos()), List.of(inner)));
    } else if (c == '{') {
      in.next();
      in.budget().enter();
      Word inner =
          read(
              mode == Mode.DOUBLE_QUOTED || mode == Mode.PARAMETER_IN_QUOTES
                  ? Mode.PARAMETER_IN_QUOTES
                  : Mode.PARAMETER);
      in.budget().leave();
      if (!in.eat("}")) {
        throw in.error("unterminated ${");
      }
      parts.add(new WordPart.Parameter(in.slice(start, in.pos()), List.of(inner)));
    } else if (Character.isLetter(c) || c == '_') {
      while (Character.isLetterOrDigit(in.peek()) || in.peek() == '_') {
        in.next();
      }
      parts.add(new WordPart.Parameter(in.slice(start, in.pos()), List.of()));
    } else if (Character.isDigit(c) || "@*#?-$!".indexOf(c) >= 0) {
      in.next();
      parts.add(new WordPart.Parameter(in.slice(start, in.pos()), List.of()));
    } else {
      parts.literal("$", quotedText);
    }
  }

  /**
   * Where {@code $((…))} ends if the text from {@code from} (just after the two parentheses) closes
   * with {@code ))} at depth zero, else -1: then it is a command substitution of a subshell, as
   * Bash decides.
   */
  int arithmeticEnd(int from) {
    int depth = 0;
    for (int i = from; i < in.length(); i++) {
      char c = in.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        if (depth > 0) {
          depth--;
        } else {
          return in.charAt(i + 1) == ')' ? i + 2 : -1;
        }
      }
    }
    return -1;
  }

  /**
   * Arithmetic text read as a word (like an unquoted here-document body), for the substitutions in
   * it.
   */
  Word arithmeticText(int from, int to) throws ShellSyntaxException {
    in.budget().enter();
    SourceCursor inner = new SourceCursor(in.slice(from, to), in.budget());
    Word word = new ScriptParser(inner).words.read(Mode.HERE_DOC);
    in.budget().leave();
    return word;
  }

  private void skipBalanced(char open, char close) throws ShellSyntaxException {
    int depth = 0;
    while (!in.atEnd()) {
      char c = in.next();
      if (c == open) {
        depth++;
      } else if (c == close && --depth == 0) {
        return;
      }
    }
    throw in.error("unterminated " + open);
  }

  private WordPart substitution(String kind, int start) throws ShellSyntaxException {
    Script script = parser.parseSubstitution();
    return new WordPart.Substitution(kind, in.slice(start, in.pos()), script, null);
  }

  private WordPart extGlob() throws ShellSyntaxException {
    int start = in.pos();
    in.next();
    skipBalanced('(', ')');
    return new WordPart.ExtGlob(in.slice(start, in.pos()));
  }

  /**
   * A backquoted substitution: Bash removes the backslashes before {@code $ ` \} first, then parses
   * the rest.
   */
  private WordPart backquoted(boolean inDoubleQuotes) throws ShellSyntaxException {
    int start = in.pos();
    in.next();
    StringBuilder body = new StringBuilder();
    while (true) {
      if (in.atEnd()) {
        throw in.error("unterminated backquote");
      }
      char c = in.next();
      if (c == '`') {
        break;
      }
      if (c == '\\' && !in.atEnd()) {
        char n = in.peek();
        if (n == '$' || n == '`' || n == '\\' || (inDoubleQuotes && n == '"')) {
          body.append(in.next());
          continue;
        }
      }
      body.append(c);
    }
    String raw = in.slice(start, in.pos());
    int depth = in.budget().depth();
    try {
      return new WordPart.Substitution("`", raw, parser.parseNested(body.toString()), null);
    } catch (ShellSyntaxException e) {
      if (e.overBudget()) {
        throw e;
      }
      in.budget().restore(depth);
      return new WordPart.Substitution("`", raw, new Script(List.of()), e.getMessage());
    }
  }
}
