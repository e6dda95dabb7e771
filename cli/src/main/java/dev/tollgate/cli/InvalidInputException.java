package dev.tollgate.cli;

import dev.tollgate.engine.source.Problem;
import dev.tollgate.engine.source.ProblemCode;
import java.util.List;

/**
 * The user's input cannot be used: printed as one line per problem, exit code 1, never with a stack
 * trace.
 */
final class InvalidInputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  InvalidInputException(List<Problem> problems) {
    super(problems.isEmpty() ? "invalid input" : problems.get(0).toString(), null, false, false);
    this.problems = List.copyOf(problems);
  }

  InvalidInputException(String origin, String message) {
    this(List.of(new Problem(ProblemCode.INVALID_INPUT, origin, "", "", message)));
  }

  List<Problem> problems() {
    return problems;
  }
}
