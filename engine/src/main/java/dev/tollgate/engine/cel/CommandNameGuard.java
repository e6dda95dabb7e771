package dev.tollgate.engine.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The command names without which a condition is false: {@code resource.commands.exists(c, c.name
 * == 'git' && c.git.force)} is false, without error, for every command line that runs no {@code
 * git}. Most shell rules have this shape, and a decision evaluates every Deny and RequireApproval
 * rule, so the engine skips a rule whose names the command line does not run instead of walking its
 * commands in CEL.
 *
 * <p>Read from the checked syntax tree, only where the result is certain: a top-level chain of
 * {@code &&} and {@code ||} over {@code resource.commands.exists(c, …)}, whose body is false for a
 * command when its {@code c.name == 'x'} or {@code c.name in [...]} tests are (CEL's {@code &&} is
 * false when either side is, even if the other is an error). Anything else has no guard and is
 * evaluated. The skip applies only to a resource whose {@code commands} is a list of maps with a
 * string {@code name} each ({@link #commandNames}), which is what the evaluation relies on.
 */
final class CommandNameGuard {

  /** Fewer than CEL's comprehension limit, so the evaluation could not have failed on it. */
  private static final int MAX_COMMANDS = 1_000;

  private CommandNameGuard() {}

  /** The names, or empty when the condition may be true (or fail) whatever runs. */
  static Optional<Set<String>> of(CelAbstractSyntaxTree ast) {
    return Optional.ofNullable(falseUnless(ast.getExpr())).map(Set::copyOf);
  }

  /**
   * The names of the commands in {@code resource}, or null when its shape is not the one the guard
   * relies on.
   */
  static Set<String> commandNames(Map<String, Object> resource) {
    if (!(resource.get("commands") instanceof List<?> commands) || commands.size() > MAX_COMMANDS) {
      return null;
    }
    Set<String> names = new HashSet<>();
    for (Object command : commands) {
      if (!(command instanceof Map<?, ?> map) || !(map.get("name") instanceof String name)) {
        return null;
      }
      names.add(name);
    }
    return names;
  }

  private static Set<String> falseUnless(CelExpr expr) {
    if (expr.getKind() == CelExpr.ExprKind.Kind.COMPREHENSION) {
      return existsOverCommands(expr.comprehension());
    }
    return combined(expr, CommandNameGuard::falseUnless);
  }

  /** {@code &&}: false when either side is; {@code ||}: false only when both are. */
  private static Set<String> combined(CelExpr expr, Function<CelExpr, Set<String>> side) {
    if (expr.getKind() != CelExpr.ExprKind.Kind.CALL
        || expr.call().target().isPresent()
        || expr.call().args().size() != 2) {
      return null;
    }
    String function = expr.call().function();
    if (!function.equals("_&&_") && !function.equals("_||_")) {
      return null;
    }
    Set<String> left = side.apply(expr.call().args().get(0));
    Set<String> right = side.apply(expr.call().args().get(1));
    if (function.equals("_&&_")) {
      if (left == null || right == null) {
        return left == null ? right : left;
      }
      Set<String> both = new HashSet<>(left);
      both.retainAll(right);
      return both;
    }
    if (left == null || right == null) {
      return null;
    }
    Set<String> either = new HashSet<>(left);
    either.addAll(right);
    return either;
  }

  /** The exists macro's expansion over {@code resource.commands}, and its body's names. */
  private static Set<String> existsOverCommands(CelExpr.CelComprehension c) {
    String accu = c.accuVar();
    boolean exists =
        c.iterVar2().isEmpty()
            && isSelect(c.iterRange(), "resource", "commands")
            && c.accuInit().getKind() == CelExpr.ExprKind.Kind.CONSTANT
            && c.accuInit().constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE
            && !c.accuInit().constant().booleanValue()
            && isIdent(c.result(), accu)
            && c.loopStep().getKind() == CelExpr.ExprKind.Kind.CALL
            && c.loopStep().call().function().equals("_||_")
            && c.loopStep().call().args().size() == 2
            && isIdent(c.loopStep().call().args().get(0), accu);
    if (!exists) {
      return null;
    }
    String item = c.iterVar();
    return nameTest(c.loopStep().call().args().get(1), item);
  }

  /** The names for which {@code body} may be true, for the command bound to {@code item}. */
  private static Set<String> nameTest(CelExpr body, String item) {
    if (body.getKind() != CelExpr.ExprKind.Kind.CALL || body.call().args().size() != 2) {
      return null;
    }
    String function = body.call().function();
    CelExpr left = body.call().args().get(0);
    CelExpr right = body.call().args().get(1);
    if (function.equals("_==_")) {
      if (isSelect(left, item, "name")) {
        return stringConstant(right);
      }
      return isSelect(right, item, "name") ? stringConstant(left) : null;
    }
    if (function.equals("@in") && isSelect(left, item, "name")) {
      return stringList(right);
    }
    return combined(body, side -> nameTest(side, item));
  }

  private static boolean isIdent(CelExpr expr, String name) {
    return expr.getKind() == CelExpr.ExprKind.Kind.IDENT && expr.ident().name().equals(name);
  }

  private static boolean isSelect(CelExpr expr, String variable, String field) {
    return expr.getKind() == CelExpr.ExprKind.Kind.SELECT
        && !expr.select().testOnly()
        && expr.select().field().equals(field)
        && isIdent(expr.select().operand(), variable);
  }

  private static Set<String> stringConstant(CelExpr expr) {
    if (expr.getKind() == CelExpr.ExprKind.Kind.CONSTANT
        && expr.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
      return Set.of(expr.constant().stringValue());
    }
    return null;
  }

  private static Set<String> stringList(CelExpr expr) {
    if (expr.getKind() != CelExpr.ExprKind.Kind.LIST || !expr.list().optionalIndices().isEmpty()) {
      return null;
    }
    Set<String> names = new HashSet<>();
    for (CelExpr element : expr.list().elements()) {
      Set<String> name = stringConstant(element);
      if (name == null) {
        return null;
      }
      names.addAll(name);
    }
    return names;
  }
}
