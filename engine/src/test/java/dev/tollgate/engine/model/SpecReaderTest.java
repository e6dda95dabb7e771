package dev.tollgate.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.engine.source.ProblemCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reader the CLI's test files share with the engine's definitions. */
class SpecReaderTest {

  private final List<Problem> problems = new ArrayList<>();
  private final SpecReader reader = new SpecReader("tests.yaml", "ToolPolicyTest/ns/t", problems);

  @Test
  void locatesEachProblemInTheDocumentAndMarksItAnInvalidField() throws Exception {
    JsonNode node = json("{\"spec\": {\"cases\": [1], \"expcet\": \"allow\"}}");
    reader.rejectUnknown(node.get("spec"), "spec", Set.of("cases"));
    reader.objectList(node.get("spec"), "spec", "cases", true);

    assertThat(problems)
        .extracting(Problem::toString)
        .containsExactly(
            "tests.yaml: ToolPolicyTest/ns/t: spec.expcet: unknown field (known: cases)",
            "tests.yaml: ToolPolicyTest/ns/t: spec.cases[0]: must be an object");
    assertThat(problems).extracting(Problem::code).containsOnly(ProblemCode.INVALID_FIELD);
  }

  @Test
  void aRequiredObjectThatIsAbsentIsReportedAndAnOptionalOneIsNot() throws Exception {
    JsonNode node = json("{\"spec\": null}");

    assertThat(reader.object(node, "", "metadata", false)).isEmpty();
    assertThat(problems).isEmpty();
    assertThat(reader.object(node, "", "spec", true)).isEmpty();
    assertThat(problems)
        .extracting(Problem::field, Problem::message)
        .containsExactly(tuple("spec", "is required"));
  }

  @Test
  void readsValuesOfTheRightTypeWithoutProblems() throws Exception {
    JsonNode node = json("{\"name\": \"a\", \"groups\": [\"x\", \"y\"], \"input\": {}}");

    assertThat(reader.string(node, "", "name", true)).contains("a");
    assertThat(reader.stringList(node, "", "groups", false)).containsExactly("x", "y");
    assertThat(reader.object(node, "", "input", true)).isPresent();
    assertThat(reader.problemCount()).isZero();
  }

  @Test
  void aCallerMayGiveTheCodeOfAProblemThatIsNotAboutAValue() {
    reader.problem(ProblemCode.MISSING_REFERENCE, "spec.identity", "AgentIdentity ns/x not found");

    assertThat(problems)
        .singleElement()
        .extracting(Problem::code)
        .isEqualTo(ProblemCode.MISSING_REFERENCE);
  }

  private static JsonNode json(String text) throws Exception {
    return new ObjectMapper().readTree(text);
  }
}
