package dev.tollgate.engine.shell;

import java.util.List;

/** A node of the parsed shell AST. */
sealed interface ShellNode {

  /**
   * A simple command: assignments, words (the first is the command name) and redirections, in any
   * order.
   */
  record SimpleCommand(List<Assignment> assignments, List<Word> words, List<Redirect> redirects)
      implements ShellNode {}

  /** {@code a | b |& c}, possibly negated with {@code !} or timed with {@code time}. */
  record Pipeline(List<ShellNode> stages, boolean negated, boolean timed) implements ShellNode {}

  /**
   * Commands joined by {@code &&} or {@code ||}; {@code operators.get(i)} joins item i and i+1.
   * {@code background} is true when the list ended with {@code &}.
   */
  record AndOr(List<ShellNode> items, List<String> operators, boolean background)
      implements ShellNode {}

  /**
   * A compound command: {@code kind} is one of subshell, group, if, while, until, for, arith-for,
   * select, case, test ({@code [[ ]]}), arith ({@code (( ))}), coproc. {@code bodies} are the lists
   * it runs; {@code words} the words it expands (for-list, case subject and patterns, {@code [[ ]]}
   * operands).
   */
  record Compound(
      String kind, List<Script> bodies, List<Word> words, List<Redirect> redirects, String text)
      implements ShellNode {}

  /** {@code name() body} or {@code function name body}. */
  record FunctionDef(String name, ShellNode body) implements ShellNode {}
}
