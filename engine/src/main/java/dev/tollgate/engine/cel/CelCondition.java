package dev.tollgate.engine.cel;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;

/** A compiled rule condition. Thread-safe: one instance serves all decisions of a bundle. */
public final class CelCondition {

  private final String expression;
  private final CelRuntime.Program program;

  CelCondition(String expression, CelRuntime.Program program) {
    this.expression = expression;
    this.program = program;
  }

  public String expression() {
    return expression;
  }

  /**
   * Runs the condition; an error (missing key, bad type, limit hit) is a result, not an exception.
   */
  public ConditionResult evaluate(Map<String, ?> variables) {
    try {
      Object value = program.eval(variables);
      if (value instanceof Boolean b) {
        return b ? ConditionResult.TRUE : ConditionResult.FALSE;
      }
      return ConditionResult.error("condition returned " + value + " instead of a bool");
    } catch (CelEvaluationException e) {
      return ConditionResult.error(e.getMessage());
    } catch (RuntimeException e) {
      // CEL-Java may throw unchecked exceptions on exotic inputs; fail closed rather than crash.
      return ConditionResult.error(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
