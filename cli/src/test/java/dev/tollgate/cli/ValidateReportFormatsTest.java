package dev.tollgate.cli;

import static dev.tollgate.cli.TestReportFormatsTest.children;
import static dev.tollgate.cli.TestReportFormatsTest.xml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/** {@code tollgate validate -o json|junit}. */
class ValidateReportFormatsTest {

  @TempDir Path dir;

  @Test
  void validExamplesAsJson() throws Exception {
    CliRun run = CliRun.run("validate", "-f", CliRun.EXAMPLES.toString(), "-o", "json");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OK);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("valid").asBoolean()).isTrue();
    assertThat(json.get("problems")).isEmpty();
    assertThat(json.get("counts").get("AgentIdentity").asInt())
        .isEqualTo(json.get("identities").size())
        .isPositive();
    JsonNode first = json.get("identities").get(0);
    assertThat(first.get("identity").asText()).contains("/");
    assertThat(first.get("bundleRevision").asText()).isNotEmpty();
    assertThat(json.get("counts").get("cases").asInt()).isEqualTo(574);
  }

  @Test
  void problemsAsJsonAndJunitFailures() throws Exception {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: read, tools: [Read], effect: Allow, efect: Deny}
            - {name: shell, tools: [Bash], effect: Allow, when: "args.command.startsWith("}
        """));

    CliRun json = CliRun.run("validate", "-f", dir.toString(), "-o", "json");
    assertThat(json.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    JsonNode report = new ObjectMapper().readTree(json.out());
    assertThat(report.get("valid").asBoolean()).isFalse();
    assertThat(report.get("identities")).isEmpty();
    assertThat(report.get("problems")).hasSize(2);
    assertThat(report.get("problems").get(0).get("object").asText()).isEqualTo("ToolPolicy/team/p");
    assertThat(json.errLines()).hasSize(2);

    CliRun junit = CliRun.run("validate", "-f", dir.toString(), "-o", "junit");
    assertThat(junit.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    Element root = xml(junit.out()).getDocumentElement();
    assertThat(root.getAttribute("tests")).isEqualTo("3");
    assertThat(root.getAttribute("failures")).isEqualTo("1");
    List<Element> cases = children(children(root, "testsuite").get(0), "testcase");
    Element policy =
        cases.stream()
            .filter(c -> c.getAttribute("name").endsWith("policy.yaml"))
            .findFirst()
            .orElseThrow();
    Element failure = children(policy, "failure").get(0);
    assertThat(failure.getAttribute("message")).startsWith("2 problems, the first: ");
    assertThat(failure.getTextContent().lines()).hasSize(2);
  }

  @Test
  void aFileThatIsNotYamlIsAFailingCaseToo() throws Exception {
    Manifests.folderWithPolicy(
        dir, Manifests.policy("    - {name: read, tools: [Read], effect: Allow}\n"));
    Manifests.write(dir.resolve("broken.yaml"), "kind: [unclosed\n");

    CliRun run = CliRun.run("validate", "-f", dir.toString(), "-o", "junit");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    List<Element> cases =
        children(children(xml(run.out()).getDocumentElement(), "testsuite").get(0), "testcase");
    assertThat(cases)
        .filteredOn(c -> !children(c, "failure").isEmpty())
        .extracting(c -> c.getAttribute("name"))
        .containsExactly(dir.resolve("broken.yaml").toString());
  }

  @Test
  void helpListsTheFormatsAndTheExitCodes() {
    CliRun run = CliRun.run("test", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("-o, --output=FORMAT", "text, json, junit", "--run=REGEX", "Exit codes:")
        .contains("1   A test case failed.");
    assertThat(CliRun.run("validate", "--help").out())
        .contains("text, json, junit", "Exit codes:")
        .doesNotContain("--run");
  }
}
