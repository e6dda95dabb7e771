package dev.tollgate.engine.bundle;

import static dev.tollgate.engine.bundle.BundleCompilerTest.compile;
import static dev.tollgate.engine.bundle.BundleCompilerTest.set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.engine.source.Kind;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.ObjectRef;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.engine.source.ProblemCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The codes status factories choose their reasons from, so that they never read the English
 * message.
 */
class ProblemCodeTest {

  private static final String IDENTITY =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: coder, namespace: team-a}
      spec:
        serviceAccountName: coder
        toolScopes: [{name: base}, {name: github}]
      """;
  private static final String BASE =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: base, namespace: team-a}
      spec: {tools: [Read]}
      """;
  private static final String GITHUB =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: github, namespace: team-a}
      spec:
        mcpServers: [{name: github, url: "https://gh.example/mcp", tools: [get_issue]}]
      """;

  @Test
  void aToolScopeThatDoesNotExistIsAMissingReferenceAtItsEntry() {
    assertThat(compile(IDENTITY, BASE).problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.code()).isEqualTo(ProblemCode.MISSING_REFERENCE);
              assertThat(problem.field()).isEqualTo("spec.toolScopes[1].name");
            });
  }

  @Test
  void anIdentityThatDoesNotExistIsAMissingReference() {
    ObjectRef other = new ObjectRef(Kind.AGENT_IDENTITY, "team-a", "reviewer");
    assertThat(new BundleCompiler().compile(set(IDENTITY, BASE, GITHUB), other).problems())
        .extracting(Problem::code)
        .containsExactly(ProblemCode.MISSING_REFERENCE);
  }

  @Test
  void aBadValueIsAnInvalidFieldAndNotAMissingReference() {
    String badScope = BASE.replace("tools: [Read]", "tools: [Read], tool: [Bash]");
    assertThat(compile(IDENTITY, badScope, GITHUB).problems())
        .extracting(Problem::code)
        .containsOnly(ProblemCode.INVALID_FIELD);
  }

  @Test
  void anMcpServerDefinedTwoWaysIsAConflict() {
    String twin =
        GITHUB
            .replace("name: github, namespace", "name: base, namespace")
            .replace("gh.example", "other.example");
    assertThat(compile(IDENTITY, twin, GITHUB).problems())
        .extracting(Problem::code)
        .containsExactly(ProblemCode.CONFLICTING_DEFINITIONS);
  }

  @Test
  void aRuleNobodyCouldApproveHasNoApprover() {
    String policy =
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: gate, namespace: team-a}
        spec:
          agents: {names: [coder]}
          rules: [{name: ask, tools: [Read], effect: RequireApproval}]
        """;
    assertThat(compile(IDENTITY, BASE, GITHUB, policy).problems())
        .extracting(Problem::code)
        .containsExactly(ProblemCode.NO_APPROVER);
  }

  @Test
  void anObjectDefinedTwiceIsADuplicate() {
    assertThat(set(IDENTITY, BASE, GITHUB, BASE).problems())
        .extracting(Problem::code)
        .containsExactly(ProblemCode.DUPLICATE_OBJECT);
  }

  @Test
  void documentsThatAreNotObjectsOrNotYamlSayWhichItIs() {
    List<ManifestLoader.Document> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    new ManifestLoader().readText("key: [unclosed", "bad.yaml", documents, problems);
    assertThat(problems).extracting(Problem::code).containsExactly(ProblemCode.UNREADABLE_SOURCE);

    String unknownKind = BASE.replace("kind: ToolScope", "kind: ToolScopes");
    assertThat(set(unknownKind).problems())
        .extracting(Problem::code)
        .containsExactly(ProblemCode.INVALID_OBJECT);
  }
}
