package dev.tollgate.engine.cel;

import com.google.common.collect.ImmutableList;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes the list literals of string constants out of a checked condition ({@code c.name in ['ls',
 * 'cat', …]}) and puts a variable in their place, bound to the same list built once. CEL-Java's
 * interpreter builds a literal list again on every evaluation, element by element, and {@code in}
 * then scans it: for a 200-name allow-list that was the largest cost of a shell rule. The bound
 * list ({@link ConstantList}) answers {@code contains} from a hash set, which is what CEL-Java's
 * {@code in} asks first.
 *
 * <p>The value is the same list, so every use of it (not only {@code in}: {@code size}, indexing,
 * comprehensions) gives the same result. The checker's types and references are kept, and the new
 * identifier reuses the literal's expression id, whose type (list of string) the checker recorded.
 */
final class ConstantLists {

  /**
   * The variables' prefix: {@code @} cannot start a CEL identifier, so no condition can name one.
   */
  static final String PREFIX = "@list";

  /** A condition's syntax tree after hoisting, and the lists its new variables stand for. */
  record Hoisted(CelAbstractSyntaxTree ast, Map<String, List<String>> lists) {}

  private final Map<Long, CelReference> references;
  private final Map<String, List<String>> lists = new LinkedHashMap<>();

  private ConstantLists(CelAbstractSyntaxTree ast) {
    this.references = new HashMap<>(ast.getReferenceMap());
  }

  static Hoisted hoist(CelAbstractSyntaxTree ast) {
    if (!ast.isChecked()) {
      return new Hoisted(ast, Map.of());
    }
    ConstantLists hoisting = new ConstantLists(ast);
    CelExpr expr = hoisting.rewrite(ast.getExpr());
    if (hoisting.lists.isEmpty()) {
      return new Hoisted(ast, Map.of());
    }
    return new Hoisted(
        CelAbstractSyntaxTree.newCheckedAst(
            expr, ast.getSource(), hoisting.references, ast.getTypeMap()),
        Map.copyOf(hoisting.lists));
  }

  private CelExpr rewrite(CelExpr expr) {
    return switch (expr.getKind()) {
      case LIST -> list(expr);
      case CALL ->
          CelExpr.ofCall(
              expr.id(),
              expr.call().target().map(this::rewrite),
              expr.call().function(),
              all(expr.call().args()));
      case SELECT ->
          CelExpr.ofSelect(
              expr.id(),
              rewrite(expr.select().operand()),
              expr.select().field(),
              expr.select().testOnly());
      case COMPREHENSION -> {
        CelExpr.CelComprehension c = expr.comprehension();
        yield CelExpr.ofComprehension(
            expr.id(),
            c.iterVar(),
            c.iterVar2(),
            rewrite(c.iterRange()),
            c.accuVar(),
            rewrite(c.accuInit()),
            rewrite(c.loopCondition()),
            rewrite(c.loopStep()),
            rewrite(c.result()));
      }
      case MAP ->
          CelExpr.ofMap(
              expr.id(),
              expr.map().entries().stream()
                  .map(
                      e ->
                          CelExpr.ofMapEntry(
                              e.id(), rewrite(e.key()), rewrite(e.value()), e.optionalEntry()))
                  .collect(ImmutableList.toImmutableList()));
      case STRUCT ->
          CelExpr.ofStruct(
              expr.id(),
              expr.struct().messageName(),
              expr.struct().entries().stream()
                  .map(
                      e ->
                          CelExpr.ofStructEntry(
                              e.id(), e.fieldKey(), rewrite(e.value()), e.optionalEntry()))
                  .collect(ImmutableList.toImmutableList()));
      default -> expr;
    };
  }

  private ImmutableList<CelExpr> all(List<CelExpr> exprs) {
    return exprs.stream().map(this::rewrite).collect(ImmutableList.toImmutableList());
  }

  private CelExpr list(CelExpr expr) {
    CelExpr.CelList list = expr.list();
    String[] strings = new String[list.elements().size()];
    boolean constant = !list.elements().isEmpty() && list.optionalIndices().isEmpty();
    for (int i = 0; constant && i < strings.length; i++) {
      CelExpr element = list.elements().get(i);
      constant =
          element.getKind() == CelExpr.ExprKind.Kind.CONSTANT
              && element.constant().getKind() == CelConstant.Kind.STRING_VALUE;
      if (constant) {
        strings[i] = element.constant().stringValue();
      }
    }
    if (!constant) {
      return CelExpr.ofList(expr.id(), all(list.elements()), list.optionalIndices());
    }
    String name = PREFIX + expr.id();
    lists.put(name, new ConstantList(strings));
    references.put(expr.id(), CelReference.newBuilder().setName(name).build());
    return CelExpr.ofIdent(expr.id(), name);
  }
}
