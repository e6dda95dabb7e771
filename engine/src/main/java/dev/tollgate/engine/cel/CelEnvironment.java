package dev.tollgate.engine.cel;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelStandardFunctions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one CEL environment every rule condition is checked and run in: its variables are the
 * decision inputs of docs/design.md §3 ({@code tool}, {@code args}, {@code identity}, {@code
 * delegation}, {@code resource}, {@code context}) and a condition must yield a bool.
 *
 * <p>Evaluation is bounded (comprehension iterations, regex program size) because {@code args}
 * comes from the agent and may be large or hostile.
 */
public final class CelEnvironment {

  /** The variables a condition may use. */
  public static final List<String> VARIABLES =
      List.of("tool", "args", "identity", "delegation", "resource", "context");

  private static final int MAX_EXPRESSION_LENGTH = 8_192;

  /** {@code path.mayMatchName(name)}: see {@link PathGlob}. */
  private static final String MAY_MATCH_NAME = "string_may_match_name_string";

  private static final CelOptions OPTIONS =
      CelOptions.current()
          .comprehensionMaxIterations(10_000)
          .maxRegexProgramSize(10_000)
          .enableTimestampEpoch(true)
          .build();

  private static final CelEnvironment STANDARD = new CelEnvironment();

  private static final int CACHE_LIMIT = 8_192;

  private final CelCompiler compiler;
  private final CelRuntime runtime;
  // Compiling depends only on the text and this fixed environment, and a compiled program is
  // immutable and thread-safe. The operator recompiles every policy of a namespace on each
  // reconcile, where type-checking dominated the cost, so outcomes are kept by text (bounded:
  // beyond the limit conditions are compiled again, never evicted mid-use).
  private final Map<String, Object> compiled = new ConcurrentHashMap<>();

  private CelEnvironment() {
    MapType object = MapType.create(SimpleType.STRING, SimpleType.DYN);
    this.compiler =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("tool", SimpleType.STRING)
            .addVar("args", object)
            .addVar("identity", object)
            .addVar("delegation", object)
            .addVar("resource", object)
            .addVar("context", object)
            .addLibraries(
                CelExtensions.strings(), CelExtensions.lists(), CelExtensions.sets(OPTIONS))
            .addFunctionDeclarations(
                CelFunctionDecl.newFunctionDeclaration(
                    "mayMatchName",
                    CelOverloadDecl.newMemberOverload(
                        MAY_MATCH_NAME, SimpleType.BOOL, SimpleType.STRING, SimpleType.STRING)))
            .setResultType(SimpleType.BOOL)
            .build();
    RegexCache regexes = new RegexCache(OPTIONS.maxRegexProgramSize());
    this.runtime =
        CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(OPTIONS)
            .setStandardEnvironmentEnabled(false)
            .setStandardFunctions(
                CelStandardFunctions.newBuilder()
                    .excludeFunctions(CelStandardFunctions.StandardFunction.MATCHES)
                    .build())
            .addFunctionBindings(
                CelFunctionBinding.from("matches", String.class, String.class, regexes::matches),
                CelFunctionBinding.from(
                    "matches_string", String.class, String.class, regexes::matches),
                CelFunctionBinding.from(
                    MAY_MATCH_NAME, String.class, String.class, PathGlob::mayMatchName))
            .addLibraries(
                CelExtensions.strings(), CelExtensions.lists(), CelExtensions.sets(OPTIONS))
            .build();
  }

  public static CelEnvironment standard() {
    return STANDARD;
  }

  /**
   * Parses, type-checks and plans a condition.
   *
   * @throws InvalidConditionException with a message that quotes the CEL error
   */
  public CelCondition compile(String expression) throws InvalidConditionException {
    Object known = compiled.get(expression);
    if (known == null) {
      try {
        known = compileUncached(expression);
      } catch (InvalidConditionException e) {
        known = e.getMessage();
      }
      if (compiled.size() < CACHE_LIMIT) {
        compiled.putIfAbsent(expression, known);
      }
    }
    if (known instanceof CelCondition condition) {
      return condition;
    }
    throw new InvalidConditionException((String) known);
  }

  private CelCondition compileUncached(String expression) throws InvalidConditionException {
    CelAbstractSyntaxTree ast = ast(expression);
    return program(expression, ConstantLists.hoist(ast), CommandNameGuard.of(ast).orElse(null));
  }

  /**
   * As {@link #compile}, uncached, with the list literals left in place and no command-name guard:
   * what the compiled condition must always agree with (the tests compare them).
   */
  CelCondition compileWithLiteralLists(String expression) throws InvalidConditionException {
    return program(expression, new ConstantLists.Hoisted(ast(expression), Map.of()), null);
  }

  private CelCondition program(
      String expression, ConstantLists.Hoisted hoisted, Set<String> commandNames)
      throws InvalidConditionException {
    try {
      return new CelCondition(
          expression, runtime.createProgram(hoisted.ast()), hoisted.lists(), commandNames);
    } catch (CelEvaluationException e) {
      throw new InvalidConditionException("invalid CEL: " + e.getMessage());
    }
  }

  /**
   * Parses and type-checks a condition in this environment, with the checks {@link #compile} makes,
   * and returns the checked syntax tree, uncached. For running the same condition on another CEL
   * runtime (the benchmarks compare runtimes); rules run through {@link #compile}.
   *
   * @throws InvalidConditionException with a message that quotes the CEL error
   */
  public CelAbstractSyntaxTree ast(String expression) throws InvalidConditionException {
    if (expression.length() > MAX_EXPRESSION_LENGTH) {
      throw new InvalidConditionException(
          "CEL expression is "
              + expression.length()
              + " characters, more than the limit of "
              + MAX_EXPRESSION_LENGTH);
    }
    CelAbstractSyntaxTree ast;
    try {
      ast = compiler.compile(expression).getAst();
    } catch (CelValidationException e) {
      throw new InvalidConditionException("invalid CEL: " + describe(e));
    }
    Optional<String> badRegex = firstInvalidRegex(ast);
    if (badRegex.isPresent()) {
      throw new InvalidConditionException(badRegex.get());
    }
    return ast;
  }

  /** The options conditions are checked and run with (immutable), for a runtime that must agree. */
  public static CelOptions options() {
    return OPTIONS;
  }

  /** Checks a condition without keeping it; empty when it compiles, else the error message. */
  public Optional<String> check(String expression) {
    try {
      compile(expression);
      return Optional.empty();
    } catch (InvalidConditionException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static String describe(CelValidationException e) {
    return e.getErrors().stream()
        .map(
            issue -> {
              var location = issue.getSourceLocation();
              String where =
                  location.getLine() > 0
                      ? "line "
                          + location.getLine()
                          + ", column "
                          + (location.getColumn() + 1)
                          + ": "
                      : "";
              return where + issue.getMessage();
            })
        .reduce((a, b) -> a + "; " + b)
        .orElse(e.getMessage());
  }

  /**
   * CEL only reports a bad regular expression when the rule runs, and a Deny rule whose regex fails
   * to compile would then match everything. Literal patterns are checked here instead, so the
   * mistake surfaces at validate time.
   */
  private static Optional<String> firstInvalidRegex(CelAbstractSyntaxTree ast) {
    return CelNavigableAst.fromAst(ast)
        .getRoot()
        .allNodes()
        .map(node -> node.expr())
        .filter(expr -> expr.getKind() == CelExpr.ExprKind.Kind.CALL)
        .filter(expr -> expr.call().function().equals("matches"))
        .flatMap(expr -> expr.call().args().stream())
        .filter(
            arg ->
                arg.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                    && arg.constant().getKind() == CelConstant.Kind.STRING_VALUE)
        .map(arg -> arg.constant().stringValue())
        .map(CelEnvironment::regexError)
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static Optional<String> regexError(String pattern) {
    try {
      Pattern.compile(pattern);
      return Optional.empty();
    } catch (PatternSyntaxException e) {
      return Optional.of(
          "invalid regular expression '" + pattern + "' in matches(): " + e.getDescription());
    }
  }
}
