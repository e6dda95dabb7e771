package dev.tollgate.engine.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelExpr;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds a field of {@code resource} that a condition reads but the resource of its tools never has.
 * {@code resource} is declared as a map of dynamic values (its shape depends on the tool), so the
 * type checker accepts {@code resource.updatez}; at run time the missing key is an error, which a
 * Deny rule counts as a match and an Allow rule as none: a typo would silently change a policy.
 * Where the rule's tools fix the shape (the git tools), this check makes the typo an error at
 * {@code tollgate validate} time instead.
 *
 * <p>It reads {@code resource.f}, {@code has(resource.f)}, and, for a list field, the fields of its
 * elements through a macro's iteration variable ({@code resource.updates.exists(u, u.kind == …)})
 * or an index ({@code resource.updates[0].ref}). Other spellings (map indexing with a string) are
 * not checked, and fail at run time as before.
 */
public final class ResourceFields {

  /**
   * The fields of a resource.
   *
   * @param tools what the shape describes, for messages
   * @param fields the top-level fields
   * @param elements for each list field, the fields of its elements
   */
  public record Shape(String tools, Set<String> fields, Map<String, Set<String>> elements) {
    public Shape {
      fields = Set.copyOf(fields);
      elements = Map.copyOf(elements);
    }
  }

  private ResourceFields() {}

  /** The first unknown field the condition reads, as a message; empty when there is none. */
  public static Optional<String> unknown(CelAbstractSyntaxTree ast, Shape shape) {
    return Optional.ofNullable(walk(ast.getExpr(), shape, Map.of()));
  }

  private static String walk(CelExpr expr, Shape shape, Map<String, Set<String>> bound) {
    switch (expr.getKind()) {
      case SELECT -> {
        String problem = select(expr.select(), shape, bound);
        return problem != null ? problem : walk(expr.select().operand(), shape, bound);
      }
      case CALL -> {
        if (expr.call().target().isPresent()) {
          String problem = walk(expr.call().target().get(), shape, bound);
          if (problem != null) {
            return problem;
          }
        }
        for (CelExpr arg : expr.call().args()) {
          String problem = walk(arg, shape, bound);
          if (problem != null) {
            return problem;
          }
        }
        return null;
      }
      case LIST -> {
        for (CelExpr element : expr.list().elements()) {
          String problem = walk(element, shape, bound);
          if (problem != null) {
            return problem;
          }
        }
        return null;
      }
      case MAP -> {
        for (CelExpr.CelMap.Entry entry : expr.map().entries()) {
          String problem = first(walk(entry.key(), shape, bound), entry.value(), shape, bound);
          if (problem != null) {
            return problem;
          }
        }
        return null;
      }
      case STRUCT -> {
        for (CelExpr.CelStruct.Entry entry : expr.struct().entries()) {
          String problem = walk(entry.value(), shape, bound);
          if (problem != null) {
            return problem;
          }
        }
        return null;
      }
      case COMPREHENSION -> {
        return comprehension(expr.comprehension(), shape, bound);
      }
      default -> {
        return null;
      }
    }
  }

  private static String first(
      String problem, CelExpr next, Shape shape, Map<String, Set<String>> bound) {
    return problem != null ? problem : walk(next, shape, bound);
  }

  private static String comprehension(
      CelExpr.CelComprehension c, Shape shape, Map<String, Set<String>> bound) {
    String problem = walk(c.iterRange(), shape, bound);
    if (problem != null) {
      return problem;
    }
    // The iteration variable shadows any outer binding of the same name; it is bound to an
    // element shape only when the range is a list field of the resource.
    Map<String, Set<String>> inner = new HashMap<>(bound);
    inner.remove(c.iterVar());
    inner.remove(c.accuVar());
    if (!c.iterVar2().isEmpty()) {
      inner.remove(c.iterVar2());
    }
    Set<String> element = elementsOf(c.iterRange(), shape);
    if (element != null && c.iterVar2().isEmpty()) {
      inner.put(c.iterVar(), element);
    }
    problem = walk(c.accuInit(), shape, bound);
    problem = first(problem, c.loopCondition(), shape, inner);
    problem = first(problem, c.loopStep(), shape, inner);
    return first(problem, c.result(), shape, inner);
  }

  private static String select(
      CelExpr.CelSelect select, Shape shape, Map<String, Set<String>> bound) {
    CelExpr operand = select.operand();
    String field = select.field();
    if (isIdent(operand, "resource") && !bound.containsKey("resource")) {
      return shape.fields().contains(field)
          ? null
          : "resource has no field '"
              + field
              + "' for "
              + shape.tools()
              + " (it has "
              + String.join(", ", new TreeSet<>(shape.fields()))
              + ")";
    }
    Set<String> element =
        operand.getKind() == CelExpr.ExprKind.Kind.IDENT
            ? bound.get(operand.ident().name())
            : indexedElement(operand, shape);
    if (element != null && !element.contains(field)) {
      return "an element of a resource list has no field '"
          + field
          + "' for "
          + shape.tools()
          + " (it has "
          + String.join(", ", new TreeSet<>(element))
          + ")";
    }
    return null;
  }

  /** The element fields when {@code expr} is {@code resource.<list>[i]}, else null. */
  private static Set<String> indexedElement(CelExpr expr, Shape shape) {
    if (expr.getKind() != CelExpr.ExprKind.Kind.CALL
        || !expr.call().function().equals("_[_]")
        || expr.call().args().size() != 2) {
      return null;
    }
    return elementsOf(expr.call().args().get(0), shape);
  }

  /** The element fields when {@code expr} is {@code resource.<list>}, else null. */
  private static Set<String> elementsOf(CelExpr expr, Shape shape) {
    if (expr.getKind() != CelExpr.ExprKind.Kind.SELECT
        || expr.select().testOnly()
        || !isIdent(expr.select().operand(), "resource")) {
      return null;
    }
    return shape.elements().get(expr.select().field());
  }

  private static boolean isIdent(CelExpr expr, String name) {
    return expr.getKind() == CelExpr.ExprKind.Kind.IDENT && expr.ident().name().equals(name);
  }
}
