package dev.tollgate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.engine.source.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Problems with the input as the machine-readable reports carry them. */
final class ProblemReport {

  /** The name of the place of a problem that names no file. */
  static final String NO_FILE = "(no file)";

  private ProblemReport() {}

  /** {@code [{code, file, object, field, message}]}, one element a problem. */
  static ArrayNode json(List<Problem> problems) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (Problem problem : problems) {
      ObjectNode json = array.addObject();
      json.put("code", problem.code().name());
      json.put("file", problem.origin());
      json.put("object", problem.object());
      json.put("field", problem.field());
      json.put("message", problem.message());
      json.put("text", problem.toString());
    }
    return array;
  }

  /**
   * One JUnit case per file, of class {@code classname}: passing when none of the problems is in
   * it, else failing (or, with {@code error}, erring) with its problems, one line each. Problems of
   * files not in {@code files} get a case each too, so none is left out.
   */
  static List<JunitXml.Case> junitCases(
      String classname, Set<String> files, List<Problem> problems, boolean error) {
    Map<String, List<Problem>> byFile = new LinkedHashMap<>();
    files.forEach(file -> byFile.put(file, new ArrayList<>()));
    problems.forEach(
        problem ->
            byFile
                .computeIfAbsent(
                    problem.origin() == null || problem.origin().isEmpty()
                        ? NO_FILE
                        : problem.origin(),
                    file -> new ArrayList<>())
                .add(problem));
    List<JunitXml.Case> cases = new ArrayList<>();
    byFile.forEach(
        (file, inFile) ->
            cases.add(
                new JunitXml.Case(
                    file,
                    classname,
                    Duration.ZERO,
                    inFile.isEmpty()
                        ? null
                        : new JunitXml.Failure(
                            error,
                            inFile.size() == 1
                                ? inFile.get(0).toString()
                                : inFile.size() + " problems, the first: " + inFile.get(0),
                            String.join("\n", inFile.stream().map(Problem::toString).toList())))));
    return cases;
  }
}
