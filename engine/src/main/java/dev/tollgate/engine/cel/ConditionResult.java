package dev.tollgate.engine.cel;

/** True, false, or an evaluation error with its message. */
public record ConditionResult(Outcome outcome, String error) {

  public static final ConditionResult TRUE = new ConditionResult(Outcome.TRUE, null);
  public static final ConditionResult FALSE = new ConditionResult(Outcome.FALSE, null);

  public static ConditionResult error(String message) {
    return new ConditionResult(Outcome.ERROR, message);
  }

  public boolean isError() {
    return outcome == Outcome.ERROR;
  }

  /** The three outcomes. */
  public enum Outcome {
    TRUE,
    FALSE,
    ERROR
  }
}
