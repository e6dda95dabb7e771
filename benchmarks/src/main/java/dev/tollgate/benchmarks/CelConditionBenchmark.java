package dev.tollgate.benchmarks;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.extensions.CelExtensions;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeBuilder;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelStandardFunctions;
import dev.cel.runtime.CelVariableResolver;
import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.cel.CelCondition;
import dev.tollgate.engine.cel.CelEnvironment;
import dev.tollgate.engine.cel.ConditionResult;
import dev.tollgate.engine.cel.RegexCache;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.decision.ResourceDeriver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Where the time of a CEL-heavy decision goes, and what engine-side changes would save. All four
 * benchmarks evaluate the same 11 Bash conditions of {@link PolicyFixture} (the ones {@code npm
 * test} runs through) over the same variables:
 *
 * <ul>
 *   <li>{@link #engineConditions}: the engine's own {@link CelEnvironment} / {@link CelCondition},
 *       as {@link PolicyEngine#decide} runs them today. (Plain CEL-Java compiles the RE2J pattern
 *       of {@code matches} on every call; the engine now binds its own cached {@code matches}, so
 *       this and {@link #cachedRegex} should agree.)
 *   <li>{@link #cachedRegex}: CEL-Java's default runtime with {@code matches} looking the compiled
 *       pattern up in a cache (the prototype of that engine change, built here as the engine builds
 *       its runtime: the baseline of the two variants below).
 *   <li>{@link #cachedRegexResolver}: as {@link #cachedRegex}, but the variables are passed as a
 *       {@link CelVariableResolver}, so CEL-Java does not copy the variable map into a new
 *       activation for every condition.
 *   <li>{@link #plannerCachedRegex}: CEL-Java's planner runtime ({@link
 *       CelRuntimeFactory#plannerRuntimeBuilder()}) with the cached {@code matches}.
 * </ul>
 *
 * <p>Every variant runs the engine's own type-checked conditions ({@link CelEnvironment#ast}), with
 * the engine's options and {@code matches} cache: only the runtime differs.
 *
 * <p>This is exploration for the engine's authors, not a contract: the prototypes live here only so
 * the suggestion comes with a number.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgs = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 2, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class CelConditionBenchmark {

  private static final CelOptions OPTIONS = CelEnvironment.options();

  /**
   * The planner runtime insists on these (CEL spec behaviour); the one that changes results is
   * heterogeneous numeric comparison ({@code 1 == 1.0} becomes true).
   */
  private static final CelOptions PLANNER_OPTIONS =
      OPTIONS.toBuilder()
          .enableUnsignedLongs(true)
          .unwrapWellKnownTypesOnFunctionDispatch(true)
          .enableHeterogeneousNumericComparisons(true)
          .build();

  private CelCondition[] engine;
  private CelRuntime.Program[] cached;
  private CelRuntime.Program[] planner;
  private Map<String, Object> variables;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    PolicyEngine policyEngine = PolicyFixture.engine(200);
    List<String> conditions =
        policyEngine.bundle().rules().stream()
            .filter(rule -> rule.tools().contains("Bash") && rule.when() != null)
            .map(Bundle.Rule::when)
            .toList();
    if (conditions.size() != 11) {
      throw new IllegalStateException(
          "expected the 11 Bash conditions, found " + conditions.size());
    }
    variables = bashVariables("npm test -- --coverage");

    RegexCache regexes = new RegexCache(OPTIONS.maxRegexProgramSize());
    CelRuntime cachedRuntime =
        runtime(CelRuntimeFactory.standardCelRuntimeBuilder(), true, regexes);
    CelRuntime plannerRuntime = runtime(CelRuntimeFactory.plannerRuntimeBuilder(), false, regexes);
    engine = new CelCondition[conditions.size()];
    cached = new CelRuntime.Program[conditions.size()];
    planner = new CelRuntime.Program[conditions.size()];
    for (int i = 0; i < conditions.size(); i++) {
      engine[i] = CelEnvironment.standard().compile(conditions.get(i));
      CelAbstractSyntaxTree ast = CelEnvironment.standard().ast(conditions.get(i));
      cached[i] = cachedRuntime.createProgram(ast);
      planner[i] = plannerRuntime.createProgram(ast);
    }
    // Sanity: all three agree on every condition (only allow-build-and-test is true for npm test).
    for (int i = 0; i < conditions.size(); i++) {
      ConditionResult expected = engine[i].evaluate(variables);
      if (expected.isError()) {
        throw new IllegalStateException(
            "condition " + conditions.get(i) + " failed: " + expected.error());
      }
      boolean value = expected == ConditionResult.TRUE;
      boolean trueExpected = conditions.get(i).startsWith("resource.program in ['npm'");
      if (value != trueExpected
          || !Boolean.valueOf(value).equals(cached[i].eval(variables))
          || !Boolean.valueOf(value).equals(planner[i].eval(variables))) {
        throw new IllegalStateException("runtimes disagree on " + conditions.get(i));
      }
    }
  }

  @Benchmark
  public void engineConditions(Blackhole blackhole) {
    for (CelCondition condition : engine) {
      blackhole.consume(condition.evaluate(variables));
    }
  }

  @Benchmark
  public void cachedRegex(Blackhole blackhole) throws Exception {
    for (CelRuntime.Program program : cached) {
      blackhole.consume(program.eval(variables));
    }
  }

  /**
   * Cached {@code matches}, and variables handed over as a resolver rather than copied per
   * condition.
   */
  @Benchmark
  public void cachedRegexResolver(Blackhole blackhole) throws Exception {
    Map<String, Object> vars = variables;
    CelVariableResolver resolver = name -> Optional.ofNullable(vars.get(name));
    for (CelRuntime.Program program : cached) {
      blackhole.consume(program.eval(resolver));
    }
  }

  @Benchmark
  public void plannerCachedRegex(Blackhole blackhole) throws Exception {
    for (CelRuntime.Program program : planner) {
      blackhole.consume(program.eval(variables));
    }
  }

  /** The variables the engine builds for a Bash call (see PolicyEngine.Evaluation). */
  private static Map<String, Object> bashVariables(String command) {
    Map<String, Object> variables = new HashMap<>();
    variables.put("tool", "Bash");
    variables.put("args", Map.of("command", command, "description", "Run the unit tests"));
    variables.put(
        "identity",
        Map.of(
            "name",
            PolicyFixture.IDENTITY,
            "namespace",
            PolicyFixture.NAMESPACE,
            "serviceAccount",
            PolicyFixture.IDENTITY,
            "attributes",
            Map.of("team", "platform", "env", "dev")));
    variables.put("delegation", Map.of("principal", PolicyFixture.PRINCIPAL, "groups", List.of()));
    variables.put(
        "resource",
        ResourceDeriver.derive(
            "Bash",
            PolicyFixture.MAPPER.createObjectNode().put("command", command),
            PolicyFixture.CWD,
            PolicyFixture.HOME));
    variables.put(
        "context",
        Map.of(
            "cwd",
            PolicyFixture.CWD,
            "sessionId",
            "s",
            "permissionMode",
            "default",
            "pod",
            PolicyFixture.POD,
            "namespace",
            PolicyFixture.NAMESPACE));
    return variables;
  }

  /** A runtime configured as the engine's, with the engine's {@code matches} cache. */
  private static CelRuntime runtime(CelRuntimeBuilder builder, boolean legacy, RegexCache regexes) {
    if (legacy) {
      // The legacy (default) runtime only takes a subset of the standard functions this way;
      // the planner runtime refuses the call and takes setStandardFunctions alone.
      builder.setStandardEnvironmentEnabled(false);
    }
    return builder
        .setOptions(legacy ? OPTIONS : PLANNER_OPTIONS)
        .setStandardFunctions(
            CelStandardFunctions.newBuilder()
                .excludeFunctions(CelStandardFunctions.StandardFunction.MATCHES)
                .build())
        .addFunctionBindings(
            CelFunctionBinding.from("matches", String.class, String.class, regexes::matches),
            CelFunctionBinding.from("matches_string", String.class, String.class, regexes::matches))
        .addLibraries(CelExtensions.strings(), CelExtensions.lists(), CelExtensions.sets(OPTIONS))
        .build();
  }
}
