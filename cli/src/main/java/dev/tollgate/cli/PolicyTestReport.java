package dev.tollgate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.DecisionJson;
import dev.tollgate.engine.source.Problem;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What {@code tollgate test} prints, in each {@link ReportFormat}. */
final class PolicyTestReport {

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final String SUITES = "tollgate test";

  private final ReportFormat format;
  private final PrintWriter out;
  private final Instant started;

  PolicyTestReport(ReportFormat format, PrintWriter out, Instant started) {
    this.format = format;
    this.out = out;
    this.started = started;
  }

  void result(PolicyTestRunner.Result result) {
    switch (format) {
      case TEXT -> text(result);
      case JSON -> json(result, List.of());
      case JUNIT -> junit(result);
    }
    out.flush();
  }

  /** The run could not start; the problems are printed on stderr as well, by the caller. */
  void invalid(List<Problem> problems, Set<String> files) {
    switch (format) {
      case TEXT -> {}
      case JSON -> json(new PolicyTestRunner.Result(List.of()), problems);
      case JUNIT ->
          JunitXml.write(
              SUITES,
              started,
              List.of(
                  new JunitXml.Suite(
                      "invalid input",
                      "",
                      ProblemReport.junitCases("tollgate.test", files, problems, true))),
              out);
    }
    out.flush();
  }

  private void text(PolicyTestRunner.Result result) {
    result.failures().forEach(this::textFailure);
    out.printf("%d passed, %d failed%n", result.passed(), result.failures().size());
  }

  private void textFailure(PolicyTestRunner.CaseResult failure) {
    Decision decision = failure.decision();
    out.printf(
        "FAIL %s: %s: %s: %s%n",
        failure.file().origin(),
        failure.file().object(),
        failure.testCase().path(),
        failure.testCase().name());
    failure.mismatches().forEach(mismatch -> out.println("  " + mismatch));
    out.printf(
        "  decision: %s, reasons: %s, rules: %s%n",
        decision.outcome().wireName(),
        String.join(", ", decision.reasonCodes()),
        decision.rules().isEmpty() ? "none" : String.join(", ", decision.rules()));
    out.println("  message: " + decision.summary());
  }

  private void json(PolicyTestRunner.Result result, List<Problem> problems) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("passed", result.passed());
    json.put("failed", result.failures().size());
    ArrayNode cases = json.putArray("cases");
    for (PolicyTestRunner.CaseResult run : result.cases()) {
      ObjectNode one = cases.addObject();
      one.put("file", run.file().origin());
      one.put("test", run.file().object());
      one.put("identity", run.file().identity().key());
      one.put("path", run.testCase().path());
      one.put("name", run.testCase().name());
      one.put("passed", run.passed());
      run.mismatches().forEach(one.putArray("mismatches")::add);
      one.set("decision", DecisionJson.toJson(run.decision()));
      one.put("timeSeconds", run.time().toNanos() / 1e9);
    }
    json.set("problems", ProblemReport.json(problems));
    try {
      out.println(JSON.writeValueAsString(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void junit(PolicyTestRunner.Result result) {
    Map<PolicyTestFile, List<JunitXml.Case>> byFile = new LinkedHashMap<>();
    for (PolicyTestRunner.CaseResult run : result.cases()) {
      byFile
          .computeIfAbsent(run.file(), file -> new ArrayList<>())
          .add(
              new JunitXml.Case(
                  run.testCase().name(),
                  run.file().object(),
                  run.time(),
                  run.passed()
                      ? null
                      : new JunitXml.Failure(
                          false, String.join("; ", run.mismatches()), details(run))));
    }
    List<JunitXml.Suite> suites = new ArrayList<>();
    byFile.forEach(
        (file, cases) -> suites.add(new JunitXml.Suite(file.object(), file.origin(), cases)));
    JunitXml.write(SUITES, started, suites, out);
  }

  private static String details(PolicyTestRunner.CaseResult run) {
    Decision decision = run.decision();
    List<String> lines = new ArrayList<>(run.mismatches());
    lines.add(run.testCase().path() + " in " + run.file().origin());
    lines.add(
        "decision: "
            + decision.outcome().wireName()
            + ", reasons: "
            + String.join(", ", decision.reasonCodes())
            + ", rules: "
            + (decision.rules().isEmpty() ? "none" : String.join(", ", decision.rules())));
    lines.add("message: " + decision.summary());
    return String.join("\n", lines);
  }
}
