package dev.tollgate.engine.hook;

/**
 * A hook input Tollgate cannot decide on; callers answer deny ({@code BadRequest}) with this
 * message.
 */
public final class BadHookInputException extends Exception {

  private static final long serialVersionUID = 1L;

  public BadHookInputException(String message) {
    super(message);
  }
}
