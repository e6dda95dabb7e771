package dev.tollgate.engine.shell;

import java.util.List;
import java.util.Set;

/**
 * Checks the grammar of a {@code [[ … ]]} expression the way Bash's parser does, so that what Bash
 * rejects is not reported as a command that runs. Tokens are operator strings ({@code ( ) && || <
 * >}) and {@link Word}s.
 */
final class ConditionalExpression {

  private static final Set<String> UNARY =
      Set.of(
          "-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-p", "-r", "-s", "-t", "-u", "-w",
          "-x", "-G", "-L", "-N", "-O", "-S", "-z", "-n", "-o", "-v", "-R");
  private static final Set<String> BINARY =
      Set.of("==", "=", "!=", "=~", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-ef", "-nt", "-ot");

  private final List<Object> tokens;
  private final SourceCursor in;
  private int i;

  private ConditionalExpression(List<Object> tokens, SourceCursor in) {
    this.tokens = tokens;
    this.in = in;
  }

  /** Throws when {@code tokens} are not a conditional expression (an empty one is, as in Bash). */
  static void check(List<Object> tokens, SourceCursor in) throws ShellSyntaxException {
    ConditionalExpression expression = new ConditionalExpression(tokens, in);
    if (tokens.isEmpty()) {
      return;
    }
    expression.or();
    if (expression.i < tokens.size()) {
      throw in.error("syntax error in conditional expression");
    }
  }

  private void or() throws ShellSyntaxException {
    and();
    while (at("||")) {
      i++;
      and();
    }
  }

  private void and() throws ShellSyntaxException {
    term();
    while (at("&&")) {
      i++;
      term();
    }
  }

  private void term() throws ShellSyntaxException {
    in.budget().enter();
    if (at("(")) {
      i++;
      or();
      if (!at(")")) {
        throw in.error("expected ) in conditional expression");
      }
      i++;
    } else if (isWord(i) && bare(i, "!") && (isWord(i + 1) || at(i + 1, "("))) {
      i++;
      term();
    } else if (isWord(i) && UNARY.contains(text(i))) {
      if (!isWord(i + 1)) {
        throw in.error("unexpected argument to conditional unary operator");
      }
      i += 2;
    } else if (isWord(i)) {
      i++;
      if ((isWord(i) && BINARY.contains(text(i))) || at("<") || at(">")) {
        if (!isWord(i + 1)) {
          throw in.error("unexpected argument to conditional binary operator");
        }
        i += 2;
      } else if (i < tokens.size() && !at("&&") && !at("||") && !at(")")) {
        throw in.error("conditional binary operator expected");
      }
    } else {
      throw in.error("unexpected token in conditional command");
    }
    in.budget().leave();
  }

  private boolean at(String op) {
    return at(i, op);
  }

  private boolean at(int k, String op) {
    return k < tokens.size() && op.equals(tokens.get(k));
  }

  private boolean isWord(int k) {
    return k < tokens.size() && tokens.get(k) instanceof Word;
  }

  private boolean bare(int k, String text) {
    return ((Word) tokens.get(k)).isBare(text);
  }

  /**
   * An operator word counts only when written plainly: {@code "-f"} quoted is a string, as in Bash.
   */
  private String text(int k) {
    Word word = (Word) tokens.get(k);
    return word.isBare(word.raw()) ? word.raw() : "";
  }
}
