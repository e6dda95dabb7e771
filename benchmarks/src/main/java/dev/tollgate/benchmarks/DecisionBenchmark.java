package dev.tollgate.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.DecisionRequest;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.decision.Reason;
import dev.tollgate.engine.hook.HookInput;
import dev.tollgate.engine.hook.HookInputParser;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of one {@link PolicyEngine#decide} call for a realistic Claude Code policy (see {@link
 * PolicyFixture}): the goal is at most 5 µs per decision on one core, and a cost that does not grow
 * with rules that do not name the tool being decided.
 *
 * <p>{@code rules} is the bundle size: always the same 30 rules on the measured tools (20 with CEL
 * conditions), plus {@code rules - 30} rules on other MCP tools. The default sizes (40, 200, 2000)
 * have 10, 170 and 1970 such non-matching rules.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgs = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 2, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class DecisionBenchmark {

  /**
   * Distinct new tool names cycled by {@link #novelToolName}: far above the index's memo size
   * (4,096).
   */
  private static final int NOVEL_TOOLS = 1 << 16;

  @Param({"40", "200", "2000"})
  public int rules;

  private PolicyEngine engine;
  private DecisionRequest[] mixed;
  private byte[][] hookBodies;
  private DecisionRequest read;
  private DecisionRequest bashCel;
  private DecisionRequest outOfScope;
  private DecisionRequest[] novel;
  private int nextMixed;
  private int nextHook;
  private int nextNovel;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    engine = PolicyFixture.engine(rules);

    List<PolicyFixture.Call> calls = PolicyFixture.mixedCalls();
    mixed = new DecisionRequest[calls.size()];
    hookBodies = new byte[calls.size()][];
    for (int i = 0; i < calls.size(); i++) {
      PolicyFixture.Call call = calls.get(i);
      mixed[i] = call.request();
      hookBodies[i] = call.hookBody();
      // The benchmark must not measure a broken path: every call gets the decision it should,
      // both from a prepared request and through the whole hook path.
      call.check(engine.decide(mixed[i]));
      call.check(hookPath(call.hookBody()));
    }
    read = PolicyFixture.READ.request();
    PolicyFixture.READ.check(engine.decide(read));
    bashCel = PolicyFixture.BASH_NPM_TEST.request();
    PolicyFixture.BASH_NPM_TEST.check(engine.decide(bashCel));
    outOfScope = PolicyFixture.OUT_OF_SCOPE.request();
    Decision denied = engine.decide(outOfScope);
    PolicyFixture.OUT_OF_SCOPE.check(denied);
    expectReason(denied, Reason.OutOfScope);
    expectReason(engine.decide(mixed[2]), Reason.RuleDenied);

    novel = PolicyFixture.novelToolRequests(NOVEL_TOOLS);
    Decision novelDecision = engine.decide(novel[NOVEL_TOOLS - 1]);
    if (novelDecision.outcome() != Outcome.DENY) {
      throw new IllegalStateException(
          "sanity check failed for a novel MCP tool: " + novelDecision.summary());
    }
    expectReason(novelDecision, Reason.NoRuleAllows);
  }

  private static void expectReason(Decision decision, Reason reason) {
    if (decision.reasons().get(0) != reason) {
      throw new IllegalStateException("expected reason " + reason + ", got " + decision.summary());
    }
  }

  private Decision hookPath(byte[] body) throws Exception {
    JsonNode json = PolicyFixture.MAPPER.readTree(body);
    HookInput input = HookInputParser.parse(json);
    return engine.decide(
        input.toRequest(
            PolicyFixture.PRINCIPAL,
            List.of(),
            PolicyFixture.POD,
            PolicyFixture.NAMESPACE,
            PolicyFixture.HOME,
            PolicyFixture.NOW));
  }

  /** The headline number: a session's mix of 12 calls (Read, Edit, Write, Bash, WebFetch, MCP). */
  @Benchmark
  public Decision mixed() {
    DecisionRequest request = mixed[nextMixed];
    if (++nextMixed == mixed.length) {
      nextMixed = 0;
    }
    return engine.decide(request);
  }

  /** Read of a workspace file: one unconditional Allow rule, no CEL at all. */
  @Benchmark
  public Decision readAllow() {
    return engine.decide(read);
  }

  /**
   * {@code npm test}: the most CEL work a call gets here, 11 conditions (7 Deny, 1 RequireApproval,
   * 3 Allow) with regexes and list membership before the Allow.
   */
  @Benchmark
  public Decision bashCelHeavy() {
    return engine.decide(bashCel);
  }

  /** A tool no ToolScope names: denied before any rule runs. */
  @Benchmark
  public Decision outOfScope() {
    return engine.decide(outOfScope);
  }

  /**
   * What the sidecar does per PreToolUse hook, minus HTTP: Jackson parses the hook body bytes,
   * {@link HookInputParser} checks it, then decide. Cycles through the same 12 calls as {@link
   * #mixed}.
   */
  @Benchmark
  public Decision hookPath() throws Exception {
    byte[] body = hookBodies[nextHook];
    if (++nextHook == hookBodies.length) {
      nextHook = 0;
    }
    return hookPath(body);
  }

  /**
   * An in-scope tool name the engine has not seen before (65,536 distinct names, so almost every
   * call misses the tool index's memo): the worst case for rule lookup, where wildcard rules are
   * scanned.
   */
  @Benchmark
  public Decision novelToolName() {
    DecisionRequest request = novel[nextNovel];
    nextNovel = (nextNovel + 1) & (NOVEL_TOOLS - 1);
    return engine.decide(request);
  }
}
