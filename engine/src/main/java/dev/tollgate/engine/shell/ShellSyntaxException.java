package dev.tollgate.engine.shell;

/**
 * Why the parser gave up on an input: a syntax error, or a budget (size, words, nesting) it would
 * exceed. The parser throws only this; {@link ShellAnalyzer} turns it into an opaque result.
 */
final class ShellSyntaxException extends Exception {

  private static final long serialVersionUID = 1L;

  private final boolean overBudget;

  ShellSyntaxException(String reason, boolean overBudget) {
    super(reason, null, false, false);
    this.overBudget = overBudget;
  }

  boolean overBudget() {
    return overBudget;
  }
}
