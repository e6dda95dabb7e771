package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** {@code tollgate test -o json|junit}, {@code --run}, and the exit code of each outcome. */
class TestReportFormatsTest {

  @TempDir Path dir;

  private Path tests;

  @BeforeEach
  void policyWithOnePassingAndTwoFailingCases() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: read, tools: [Read], effect: Allow}
            - {name: no-shell, tools: [Bash], effect: Deny, message: no shell here}
        """));
    tests = Manifests.write(dir.resolve("coder.policytest.yaml"), TestCommandTest.CASES);
  }

  @Test
  void junitHasOneSuitePerFileOneCasePerCaseAndTheFailures() throws Exception {
    CliRun run = CliRun.run("test", "-f", dir.toString(), "-o", "junit");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.FAILED);
    Element root = xml(run.out()).getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("testsuites");
    assertThat(root.getAttribute("tests")).isEqualTo("3");
    assertThat(root.getAttribute("failures")).isEqualTo("2");
    assertThat(root.getAttribute("errors")).isEqualTo("0");
    List<Element> suites = children(root, "testsuite");
    assertThat(suites).hasSize(1);
    Element suite = suites.get(0);
    assertThat(suite.getAttribute("name")).isEqualTo("ToolPolicyTest/team/coder");
    assertThat(suite.getAttribute("file")).isEqualTo(tests.toString());
    assertThat(suite.getAttribute("tests")).isEqualTo("3");
    assertThat(suite.getAttribute("failures")).isEqualTo("2");
    List<Element> cases = children(suite, "testcase");
    assertThat(cases)
        .extracting(c -> c.getAttribute("name"))
        .containsExactly("reads are allowed", "shell is denied", "wrong rule named");
    cases.forEach(
        c -> {
          assertThat(c.getAttribute("classname")).isEqualTo("ToolPolicyTest/team/coder");
          assertThat(Double.parseDouble(c.getAttribute("time"))).isNotNegative();
        });
    assertThat(children(cases.get(0), "failure")).isEmpty();
    Element failure = children(cases.get(1), "failure").get(0);
    assertThat(failure.getAttribute("message"))
        .isEqualTo("expected allow, got deny; expected reason RuleAllowed, got RuleDenied");
    assertThat(failure.getTextContent())
        .contains("decision: deny, reasons: RuleDenied, rules: team/p/no-shell")
        .contains("spec.cases[1] in " + tests);
    assertThat(children(cases.get(2), "failure").get(0).getAttribute("message"))
        .isEqualTo("expected rule team/p/other among the deciding rules, got team/p/read");
  }

  @Test
  void jsonListsEveryCaseWithItsDecision() throws Exception {
    CliRun run = CliRun.run("test", "-f", dir.toString(), "-o", "json");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.FAILED);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("passed").asInt()).isEqualTo(1);
    assertThat(json.get("failed").asInt()).isEqualTo(2);
    assertThat(json.get("problems")).isEmpty();
    JsonNode cases = json.get("cases");
    assertThat(cases).hasSize(3);
    assertThat(cases.get(0).get("passed").asBoolean()).isTrue();
    assertThat(cases.get(0).get("mismatches")).isEmpty();
    JsonNode denied = cases.get(1);
    assertThat(denied.get("name").asText()).isEqualTo("shell is denied");
    assertThat(denied.get("path").asText()).isEqualTo("spec.cases[1]");
    assertThat(denied.get("file").asText()).isEqualTo(tests.toString());
    assertThat(denied.get("identity").asText()).isEqualTo("team/coder");
    assertThat(denied.get("passed").asBoolean()).isFalse();
    assertThat(denied.get("mismatches").get(0).asText()).isEqualTo("expected allow, got deny");
    assertThat(denied.get("decision").get("decision").asText()).isEqualTo("deny");
    assertThat(denied.get("decision").get("rules").get(0).asText()).isEqualTo("team/p/no-shell");
  }

  @Test
  void runSelectsCasesByNameAndAPassingSelectionExitsZero() throws Exception {
    CliRun run = CliRun.run("test", "-f", dir.toString(), "--run", "^reads", "-o", "json");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OK);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("cases")).hasSize(1);
    assertThat(json.get("cases").get(0).get("name").asText()).isEqualTo("reads are allowed");

    CliRun text = CliRun.run("test", "-f", dir.toString(), "--run", "denied|wrong");
    assertThat(text.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(text.out()).endsWith("0 passed, 2 failed\n");
  }

  @Test
  void aFilterMatchingNoCaseIsAnErrorNotAGreenRun() {
    CliRun run = CliRun.run("test", "-f", dir.toString(), "--run", "no such case");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains("--run 'no such case' matches no test case (of 3 in 1 ToolPolicyTest)");
  }

  @Test
  void aFilterMatchingNothingInJunitIsAnErroringReport() throws Exception {
    CliRun run = CliRun.run("test", "-f", dir.toString(), "--run", "^$", "-o", "junit");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    Element root = xml(run.out()).getDocumentElement();
    assertThat(root.getAttribute("errors")).isEqualTo("1");
    assertThat(run.out()).contains("matches no test case");
  }

  @Test
  void aBadRegularExpressionIsAUsageError() {
    CliRun run = CliRun.run("test", "-f", dir.toString(), "--run", "(unclosed");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.err()).contains("'(unclosed' is not a regular expression: Unclosed group");
  }

  @Test
  void anUnknownFormatNamesTheAllowedOnes() {
    CliRun run = CliRun.run("test", "-f", dir.toString(), "-o", "xml");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains("Invalid value for option '--output'", "'xml' is not one of text, json, junit");
    assertThat(CliRun.run("test", "-f", dir.toString(), "-o", "JSON").exitCode())
        .as("formats are spelled as documented")
        .isEqualTo(ExitCode.INVALID_INPUT);
  }

  @Test
  void invalidPoliciesAreErrorsInEveryFormatAndExitTwo() throws Exception {
    Manifests.write(
        dir.resolve("policy.yaml"),
        Manifests.policy("    - {name: read, tools: [Read], effect: Allow, efect: Deny}\n"));

    CliRun junit = CliRun.run("test", "-f", dir.toString(), "-o", "junit");
    assertThat(junit.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    Element root = xml(junit.out()).getDocumentElement();
    assertThat(root.getAttribute("failures")).isEqualTo("0");
    assertThat(root.getAttribute("errors")).isEqualTo("1");
    List<Element> erring = new ArrayList<>();
    for (Element suite : children(root, "testsuite")) {
      for (Element testCase : children(suite, "testcase")) {
        if (!children(testCase, "error").isEmpty()) {
          erring.add(testCase);
        }
      }
    }
    assertThat(erring)
        .extracting(c -> c.getAttribute("name"))
        .containsExactly(dir + "/policy.yaml");
    assertThat(junit.err()).contains("spec.rules[0].efect: unknown field");

    CliRun json = CliRun.run("test", "-f", dir.toString(), "-o", "json");
    assertThat(json.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    JsonNode problems = new ObjectMapper().readTree(json.out()).get("problems");
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).get("file").asText()).isEqualTo(dir + "/policy.yaml");
    assertThat(problems.get(0).get("field").asText()).isEqualTo("spec.rules[0].efect");
  }

  @Test
  void controlCharactersInCaseNamesStillMakeReadableXml() throws Exception {
    Manifests.write(
        tests,
        TestCommandTest.CASES.replace("name: shell is denied", "name: \"shell\\x01\\x1b[31m\""));

    CliRun run = CliRun.run("test", "-f", dir.toString(), "-o", "junit");

    assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
    Element suite = children(xml(run.out()).getDocumentElement(), "testsuite").get(0);
    assertThat(children(suite, "testcase").get(1).getAttribute("name"))
        .isEqualTo("shell\uFFFD\uFFFD[31m");
  }

  @Test
  void theExamplesPassAsJunit() throws Exception {
    CliRun run = CliRun.run("test", "-f", CliRun.EXAMPLES.toString(), "-o", "junit");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    Element root = xml(run.out()).getDocumentElement();
    assertThat(root.getAttribute("tests")).isEqualTo("574");
    assertThat(root.getAttribute("failures")).isEqualTo("0");
    assertThat(children(root, "testsuite")).hasSizeGreaterThan(1);
  }

  static Document xml(String text) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(new InputSource(new StringReader(text)));
  }

  static List<Element> children(Element parent, String tag) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element element && element.getTagName().equals(tag)) {
        found.add(element);
      }
    }
    return found;
  }
}
