package dev.tollgate.engine.cel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.tollgate.engine.decision.ResourceDeriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the engine does to run conditions faster must not change a single result: every condition of
 * the example policies, over the resource of every command of the example corpora (everyday
 * commands and bypass attempts), is evaluated as compiled (constant lists hoisted, {@link
 * ConstantLists}) and with the literals left in place, and the two must agree exactly, errors
 * included; and wherever the command-name guard ({@link CommandNameGuard}) lets the engine skip a
 * condition, the condition is false.
 */
class OptimizedConditionsTest {

  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void hoistedListsDecideTheExampleCorporaAsTheLiteralsDo() throws Exception {
    List<String> conditions = exampleConditions();
    List<String> commands = corpusCommands();
    assertThat(conditions).hasSizeGreaterThan(25);
    assertThat(commands).hasSizeGreaterThan(1_000);

    List<Map<String, Object>> resources = commands.stream().map(c -> variables(c)).toList();
    int hoistedConditions = 0;
    int compared = 0;
    int skipped = 0;
    for (String expression : conditions) {
      CelCondition hoisted = CelEnvironment.standard().compile(expression);
      CelCondition literal = CelEnvironment.standard().compileWithLiteralLists(expression);
      if (expression.contains("['")) {
        hoistedConditions++;
      }
      for (Map<String, Object> variables : resources) {
        ConditionResult expected = literal.evaluate(variables);
        assertThat(hoisted.evaluate(variables))
            .as("%s%n  on: %s", expression, variables.get("args"))
            .isEqualTo(expected);
        @SuppressWarnings("unchecked")
        Map<String, Object> resource = (Map<String, Object>) variables.get("resource");
        if (hoisted.falseWithout(CelCondition.commandNames(resource))) {
          assertThat(expected)
              .as("skipped %s%n  on: %s", expression, variables.get("args"))
              .isEqualTo(ConditionResult.FALSE);
          skipped++;
        }
        compared++;
      }
    }
    System.out.printf(
        "optimized conditions: %d conditions x %d commands agree; the guard skips %d%n",
        conditions.size(), commands.size(), skipped);
    assertThat(hoistedConditions).isGreaterThan(10);
    assertThat(compared).isGreaterThan(25_000);
    // About a fifth: the shell rules are guarded, the file, web and egress rules never are.
    assertThat(skipped).as("evaluations the guard saves").isGreaterThan(compared / 6);
  }

  @Test
  void theGuardReadsOnlyShapesWhoseFalsehoodIsCertain() throws Exception {
    Set<String> git = Set.of("git");
    Set<String> ls = Set.of("ls");
    // Guarded: nothing named git runs, so these are false.
    for (String expression :
        List.of(
            "resource.commands.exists(c, c.name == 'git' && c.git.force)",
            "resource.commands.exists(c, 'git' == c.name && c.no.such.key)",
            "resource.commands.exists(c, (c.name in ['git', 'gh'] || c.name == 'hub') && c.x.y)",
            "resource.commands.exists(c, c.name == 'git') && resource.nothing.here",
            "resource.commands.exists(c, c.name == 'git') || resource.commands.exists(c,"
                + " c.name in ['git'])")) {
      CelCondition condition = CelEnvironment.standard().compile(expression);
      assertThat(condition.falseWithout(ls)).as(expression).isTrue();
      assertThat(condition.falseWithout(git)).as(expression).isFalse();
      assertThat(condition.falseWithout(null)).as(expression).isFalse();
    }
    // Not guarded: may be true, or an error, whatever the names.
    for (String expression :
        List.of(
            "resource.commands.all(c, c.name == 'git')",
            "resource.commands.exists(c, c.name == 'git' || c.dynamic)",
            "!resource.commands.exists(c, c.name == 'git')",
            "resource.commands.exists(c, c.name == 'git') || resource.opaque",
            "resource.commands.exists(c, c.name != 'git')",
            "resource.commands.exists(c, c.args.exists(c, c == 'git'))",
            "[resource].exists(resource, resource.commands.exists(c, c.name == 'git'))",
            "resource.commands.exists(c, c.name.startsWith('git'))")) {
      CelCondition condition = CelEnvironment.standard().compile(expression);
      assertThat(condition.falseWithout(ls)).as(expression).isFalse();
    }
  }

  @Test
  void theGuardOnlyTrustsResourcesOfTheExpectedShape() {
    assertThat(CelCondition.commandNames(Map.of("commands", List.of(Map.of("name", "ls")))))
        .containsExactly("ls");
    assertThat(CelCondition.commandNames(Map.of("commands", List.of()))).isEmpty();
    assertThat(CelCondition.commandNames(Map.of("path", "/workspace/a"))).isNull();
    assertThat(CelCondition.commandNames(Map.of("commands", List.of(Map.of("args", List.of())))))
        .isNull();
    assertThat(CelCondition.commandNames(Map.of("commands", List.of(Map.of("name", 1))))).isNull();
    assertThat(CelCondition.commandNames(Map.of("commands", "ls"))).isNull();
  }

  @Test
  void aHoistedListIsTheSameValueEverywhereItIsUsed() throws Exception {
    Map<String, Object> variables = variables("git status");
    for (String expression :
        List.of(
            "size(['a', 'b', 'a']) == 3",
            "['a', 'b'] == ['a', 'b'] && ['a', 'b'] != ['b', 'a']",
            "['x', 'y'][1] == 'y'",
            "['git', 'ls'].exists(n, n == resource.commands[0].name)",
            "!(dyn(1) in ['1'])",
            "['a'] + ['b'] == ['a', 'b']",
            "resource.commands.all(c, c.name in ['git', 'ls'] && !(c.name in ['rm']))")) {
      CelCondition hoisted = CelEnvironment.standard().compile(expression);
      assertThat(hoisted.evaluate(variables)).as(expression).isEqualTo(ConditionResult.TRUE);
      assertThat(CelEnvironment.standard().compileWithLiteralLists(expression).evaluate(variables))
          .as(expression)
          .isEqualTo(ConditionResult.TRUE);
    }
  }

  private static Map<String, Object> variables(String command) {
    Map<String, Object> variables = new HashMap<>();
    variables.put("tool", "Bash");
    variables.put("args", Map.of("command", command));
    variables.put("identity", Map.of("name", "repo-coder", "namespace", "agents"));
    variables.put("delegation", Map.of("principal", "alice", "groups", List.of()));
    variables.put(
        "resource",
        ResourceDeriver.derive(
            "Bash", JSON.createObjectNode().put("command", command), "/workspace", "/root"));
    variables.put("context", Map.of("cwd", "/workspace"));
    return variables;
  }

  /** Every rule's {@code when} in the example policies. */
  private static List<String> exampleConditions() throws IOException {
    List<String> conditions = new ArrayList<>();
    for (JsonNode document : yamlDocuments(EXAMPLES.resolve("policies"))) {
      for (JsonNode rule : document.path("spec").path("rules")) {
        if (rule.hasNonNull("when")) {
          conditions.add(rule.get("when").asText());
        }
      }
    }
    return conditions;
  }

  /** The everyday corpus and every Bash command of the bypass tests. */
  private static List<String> corpusCommands() throws IOException {
    List<String> commands = new ArrayList<>();
    for (String line : Files.readAllLines(EXAMPLES.resolve("tests/corpus/everyday-commands.txt"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        commands.add(line);
      }
    }
    for (JsonNode document : yamlDocuments(EXAMPLES.resolve("tests"))) {
      for (JsonNode testCase : document.path("spec").path("cases")) {
        JsonNode input = testCase.path("input");
        if (input.path("tool_name").asText().equals("Bash")) {
          commands.add(input.path("tool_input").path("command").asText());
        }
      }
    }
    return commands;
  }

  private static List<JsonNode> yamlDocuments(Path folder) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    YAMLFactory yaml = new YAMLFactory();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (YAMLParser parser = yaml.createParser(file.toFile())) {
          JSON.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        }
      }
    }
    return documents;
  }
}
