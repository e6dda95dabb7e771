package dev.tollgate.engine.cel;

/** A rule condition that does not compile; the message is meant for the policy author. */
public final class InvalidConditionException extends Exception {

  private static final long serialVersionUID = 1L;

  public InvalidConditionException(String message) {
    super(message);
  }
}
