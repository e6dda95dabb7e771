package dev.tollgate.cli;

import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.source.ObjectRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides every case of the test files with its identity's bundle and compares with what the case
 * expects.
 */
final class PolicyTestRunner {

  private final LoadedPolicies policies;
  private final Instant now;
  private final Map<ObjectRef, PolicyEngine> engines = new HashMap<>();

  PolicyTestRunner(LoadedPolicies policies, Instant now) {
    this.policies = policies;
    this.now = now;
  }

  /** The outcome of a run: every case run, in the order of the files. */
  record Result(List<CaseResult> cases) {

    Result {
      cases = List.copyOf(cases);
    }

    int passed() {
      return (int) cases.stream().filter(CaseResult::passed).count();
    }

    List<CaseResult> failures() {
      return cases.stream().filter(c -> !c.passed()).toList();
    }
  }

  /**
   * One case run: the decision it got, and when that is not what it expects, {@code mismatches}
   * saying how, one line each.
   */
  record CaseResult(
      PolicyTestFile file,
      PolicyTestCase testCase,
      Decision decision,
      List<String> mismatches,
      Duration time) {

    CaseResult {
      mismatches = List.copyOf(mismatches);
    }

    boolean passed() {
      return mismatches.isEmpty();
    }
  }

  Result run(List<PolicyTestFile> files) {
    List<CaseResult> results = new ArrayList<>();
    for (PolicyTestFile file : files) {
      PolicyEngine engine = engines.computeIfAbsent(file.identity(), this::engine);
      for (PolicyTestCase testCase : file.cases()) {
        long start = System.nanoTime();
        Decision decision =
            engine.decide(
                testCase
                    .input()
                    .toRequest(
                        testCase.principal(),
                        testCase.groups(),
                        "",
                        file.identity().namespace(),
                        null,
                        now));
        List<String> mismatches = mismatches(testCase, decision);
        results.add(
            new CaseResult(
                file, testCase, decision, mismatches, Duration.ofNanos(System.nanoTime() - start)));
      }
    }
    return new Result(results);
  }

  private static List<String> mismatches(PolicyTestCase testCase, Decision decision) {
    List<String> mismatches = new ArrayList<>();
    if (decision.outcome() != testCase.expect()) {
      mismatches.add(
          "expected " + testCase.expect().wireName() + ", got " + decision.outcome().wireName());
    }
    if (testCase.expectRule() != null && !decision.rules().contains(testCase.expectRule())) {
      mismatches.add(
          "expected rule "
              + testCase.expectRule()
              + " among the deciding rules, got "
              + listed(decision.rules()));
    }
    Decision would = decision.wouldDecide();
    if (testCase.expectReason() != null
        && !decision.reasonCodes().contains(testCase.expectReason())
        && (would == null || !would.reasonCodes().contains(testCase.expectReason()))) {
      List<String> reasons = new ArrayList<>(decision.reasonCodes());
      if (would != null) {
        reasons.addAll(would.reasonCodes());
      }
      mismatches.add("expected reason " + testCase.expectReason() + ", got " + listed(reasons));
    }
    if (testCase.expectWouldDecide() != null) {
      if (would == null) {
        mismatches.add(
            "expected wouldDecide "
                + testCase.expectWouldDecide().wireName()
                + ", but the identity is not in Audit mode (no wouldDecide)");
      } else if (would.outcome() != testCase.expectWouldDecide()) {
        mismatches.add(
            "expected wouldDecide "
                + testCase.expectWouldDecide().wireName()
                + ", got "
                + would.outcome().wireName());
      }
    }
    return mismatches;
  }

  private static String listed(List<String> values) {
    return values.isEmpty() ? "none" : String.join(", ", values);
  }

  // Test files are only run once validation found no problem, so every identity compiles.
  private PolicyEngine engine(ObjectRef identity) {
    return policies.engine(identity);
  }
}
