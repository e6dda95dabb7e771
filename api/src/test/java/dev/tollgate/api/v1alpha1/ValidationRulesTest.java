package dev.tollgate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compiles every x-kubernetes-validations rule of the generated CRDs and evaluates the ones with
 * logic worth checking the way the API server would: {@code self} (and {@code oldSelf} on updates)
 * bound to the object at the rule's place, absent fields absent from the map.
 */
class ValidationRulesTest {

  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .addVar("oldSelf", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private static final String DIGEST =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  static List<String> plurals() {
    return GeneratedCrds.PLURALS;
  }

  @ParameterizedTest
  @MethodSource("plurals")
  void everyRuleCompilesAndHasAMessage(String plural) {
    List<String> problems = new ArrayList<>();
    rulesByPath(GeneratedCrds.rootSchema(plural), "", new LinkedHashMap<>())
        .forEach(
            (path, rules) -> {
              for (ValidationRule rule : rules) {
                CelValidationResult result = COMPILER.compile(rule.getRule());
                if (result.hasError()) {
                  problems.add(path + ": " + rule.getRule() + ": " + result.getErrorString());
                }
                if (rule.getMessage() == null || rule.getMessage().isBlank()) {
                  problems.add(path + ": " + rule.getRule() + ": no message");
                }
              }
            });
    assertThat(problems).isEmpty();
  }

  @Test
  void toolPolicyAgentsNeedNamesOrSelector() throws Exception {
    List<ValidationRule> rules = rulesAt("toolpolicies", "spec.agents");
    assertThat(failures(rules, Map.of("names", List.of("a")), null)).isEmpty();
    assertThat(failures(rules, Map.of("selector", Map.of()), null)).isEmpty();
    assertThat(failures(rules, Map.of(), null))
        .containsExactly("agents must set names or selector");
    assertThat(failures(rules, Map.of("names", List.of()), null))
        .containsExactly("agents must set names or selector");
  }

  @Test
  void toolPolicyRuleNamesAreUnique() throws Exception {
    List<ValidationRule> rules = rulesAt("toolpolicies", "spec.rules");
    assertThat(failures(rules, List.of(Map.of("name", "a"), Map.of("name", "b")), null)).isEmpty();
    assertThat(failures(rules, List.of(Map.of("name", "a"), Map.of("name", "a")), null))
        .containsExactly("rule names must be unique within a policy");
  }

  @Test
  void approversOnlyOnRequireApprovalRules() throws Exception {
    List<ValidationRule> rules = rulesAt("toolpolicies", "spec.rules[]");
    assertThat(
            failures(
                rules, Map.of("effect", "RequireApproval", "approvers", List.of("group:x")), null))
        .isEmpty();
    assertThat(failures(rules, Map.of("effect", "Allow"), null)).isEmpty();
    assertThat(failures(rules, Map.of("effect", "Allow", "approvers", List.of("group:x")), null))
        .containsExactly("approvers apply only to rules with effect RequireApproval");
  }

  @Test
  void mcpServerNamesAreUnique() throws Exception {
    List<ValidationRule> rules = rulesAt("toolscopes", "spec.mcpServers");
    assertThat(failures(rules, List.of(Map.of("name", "a"), Map.of("name", "b")), null)).isEmpty();
    assertThat(failures(rules, List.of(Map.of("name", "a"), Map.of("name", "a")), null))
        .containsExactly("mcpServers names must be unique");
  }

  @Test
  void gitRemoteNamesAreUnique() throws Exception {
    List<ValidationRule> rules = rulesAt("toolscopes", "spec.gitRemotes");
    assertThat(failures(rules, List.of(Map.of("name", "a"), Map.of("name", "b")), null)).isEmpty();
    assertThat(failures(rules, List.of(Map.of("name", "a"), Map.of("name", "a")), null))
        .containsExactly("gitRemotes names must be unique");
  }

  @Test
  void aPendingApprovalCanBeDecidedOnce() throws Exception {
    List<ValidationRule> rules = rulesAt("toolcallapprovals", "spec");
    Map<String, Object> pending = pendingApproval();
    Map<String, Object> approved =
        with(pending, "decision", "Approved", "decidedBy", "bob", "reason", "ok");

    assertThat(failures(rules, pending, null)).as("create").isEmpty();
    assertThat(failures(rules, approved, pending)).as("decide").isEmpty();
    assertThat(failures(rules, with(approved, "summary", "git push"), approved))
        .as("no-op update")
        .isEmpty();
    assertThat(failures(rules, with(approved, "decision", "Rejected"), approved))
        .containsExactly("decision is immutable once set");
    assertThat(failures(rules, without(approved, "decision", "decidedBy", "reason"), approved))
        .contains(
            "decision is immutable once set",
            "decidedBy is immutable once set",
            "reason is immutable once a decision is set");
    assertThat(failures(rules, with(approved, "decidedBy", "mallory"), approved))
        .containsExactly("decidedBy is immutable once set");
    assertThat(failures(rules, with(approved, "reason", "changed my mind"), approved))
        .containsExactly("reason is immutable once a decision is set");
    assertThat(failures(rules, with(pending, "decidedBy", "bob"), null))
        .containsExactly("decidedBy requires decision");
    assertThat(failures(rules, with(pending, "approvers", List.of("user:mallory")), pending))
        .containsExactly("approvers is immutable");
    assertThat(failures(rules, without(pending, "requestedBy"), pending))
        .containsExactly("requestedBy is immutable");
    assertThat(failures(rules, with(pending, "correlationId", "other"), pending))
        .containsExactly("correlationId is immutable");
  }

  @Test
  void theRequestPartOfAnApprovalIsImmutable() throws Exception {
    for (String field : List.of("identity", "pod", "tool", "argsDigest", "expiresAt")) {
      List<ValidationRule> rules = rulesAt("toolcallapprovals", "spec." + field);
      assertThat(failures(rules, "a", "a")).as(field).isEmpty();
      assertThat(failures(rules, "b", "a")).as(field).containsExactly(field + " is immutable");
    }
  }

  private static Map<String, Object> pendingApproval() {
    Map<String, Object> spec = new HashMap<>();
    spec.put("identity", "code-reviewer");
    spec.put("pod", "code-reviewer-0");
    spec.put("tool", "Bash");
    spec.put("argsDigest", DIGEST);
    spec.put("summary", "git push");
    spec.put("requestedBy", "user:alice");
    spec.put("approvers", List.of("group:release-managers"));
    spec.put("expiresAt", "2026-01-02T03:09:05Z");
    spec.put("correlationId", "toolu_01");
    return spec;
  }

  private static Map<String, Object> with(Map<String, Object> base, Object... keysAndValues) {
    Map<String, Object> copy = new HashMap<>(base);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      copy.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return copy;
  }

  private static Map<String, Object> without(Map<String, Object> base, String... keys) {
    Map<String, Object> copy = new HashMap<>(base);
    List.of(keys).forEach(copy::remove);
    return copy;
  }

  /**
   * Messages of the rules that reject {@code self}. As on the API server, a rule that reads {@code
   * oldSelf} is a transition rule and runs only on updates ({@code oldSelf} non-null).
   */
  private static List<String> failures(List<ValidationRule> rules, Object self, Object oldSelf)
      throws CelValidationException, CelEvaluationException {
    List<String> failed = new ArrayList<>();
    for (ValidationRule rule : rules) {
      boolean transition = rule.getRule().contains("oldSelf");
      if (transition && oldSelf == null) {
        continue;
      }
      CelAbstractSyntaxTree ast = COMPILER.compile(rule.getRule()).getAst();
      Map<String, Object> vars = new HashMap<>();
      vars.put("self", self);
      if (transition) {
        vars.put("oldSelf", oldSelf);
      }
      if (!Boolean.TRUE.equals(RUNTIME.createProgram(ast).eval(vars))) {
        failed.add(rule.getMessage());
      }
    }
    return failed;
  }

  private static List<ValidationRule> rulesAt(String plural, String path) {
    List<ValidationRule> rules =
        GeneratedCrds.schemaAt(GeneratedCrds.rootSchema(plural), path).getXKubernetesValidations();
    assertThat(rules).as("rules at %s of %s", path, plural).isNotEmpty();
    return rules;
  }

  private static Map<String, List<ValidationRule>> rulesByPath(
      JSONSchemaProps schema, String path, Map<String, List<ValidationRule>> found) {
    if (schema.getXKubernetesValidations() != null
        && !schema.getXKubernetesValidations().isEmpty()) {
      found.put(path, schema.getXKubernetesValidations());
    }
    if (schema.getProperties() != null) {
      schema
          .getProperties()
          .forEach((name, p) -> rulesByPath(p, path.isEmpty() ? name : path + "." + name, found));
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      rulesByPath(schema.getItems().getSchema(), path + "[]", found);
    }
    return found;
  }
}
