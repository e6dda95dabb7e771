package dev.tollgate.engine.decision;

/** A tool input the engine cannot read as the tool would: the decision is a BadRequest deny. */
final class InvalidToolInputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  InvalidToolInputException(String message) {
    super(message, null, false, false);
  }
}
