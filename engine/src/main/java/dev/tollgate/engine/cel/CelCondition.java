package dev.tollgate.engine.cel;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A compiled rule condition. Thread-safe: one instance serves all decisions of a bundle. */
public final class CelCondition {

  private final String expression;
  private final CelRuntime.Program program;
  private final Map<String, List<String>> constantLists;
  private final Set<String> commandNames;

  CelCondition(
      String expression,
      CelRuntime.Program program,
      Map<String, List<String>> constantLists,
      Set<String> commandNames) {
    this.expression = expression;
    this.program = program;
    this.constantLists = constantLists;
    this.commandNames = commandNames;
  }

  public String expression() {
    return expression;
  }

  /**
   * The names of the commands a resource runs, for {@link #falseWithout}; null when the resource
   * has no commands (not a shell command) or not in the shape the guard relies on.
   */
  public static Set<String> commandNames(Map<String, Object> resource) {
    return CommandNameGuard.commandNames(resource);
  }

  /**
   * True when this condition is certain to evaluate to false, without error, for a resource whose
   * commands have these names (from {@link #commandNames}): it only holds for commands of other
   * names ({@link CommandNameGuard}).
   */
  public boolean falseWithout(Set<String> namesRun) {
    return commandNames != null && namesRun != null && Collections.disjoint(commandNames, namesRun);
  }

  /**
   * Runs the condition; an error (missing key, bad type, limit hit) is a result, not an exception.
   */
  public ConditionResult evaluate(Map<String, ?> variables) {
    return evaluate(name -> Optional.ofNullable(variables.get(name)));
  }

  /**
   * As {@link #evaluate(Map)}, with the variables looked up by name: CEL-Java copies a map into a
   * new activation on every evaluation, a resolver it only asks.
   */
  public ConditionResult evaluate(CelVariableResolver variables) {
    CelVariableResolver resolver = variables;
    if (!constantLists.isEmpty()) {
      resolver =
          name ->
              name.startsWith(ConstantLists.PREFIX)
                  ? Optional.ofNullable(constantLists.get(name))
                  : variables.find(name);
    }
    try {
      Object value = program.eval(resolver);
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
