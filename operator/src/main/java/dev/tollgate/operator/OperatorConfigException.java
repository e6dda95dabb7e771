package dev.tollgate.operator;

import java.util.List;

/** Bad settings, all of them: the operator refuses to start and prints each. */
public final class OperatorConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public OperatorConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
