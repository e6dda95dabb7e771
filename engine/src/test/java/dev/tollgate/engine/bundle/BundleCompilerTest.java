package dev.tollgate.engine.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.Kind;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.ObjectRef;
import dev.tollgate.engine.source.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BundleCompilerTest {

  private static final ObjectRef CODER = new ObjectRef(Kind.AGENT_IDENTITY, "team-a", "coder");
  private static final String IDENTITY =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: coder, namespace: team-a, labels: {tier: dev}}
      spec:
        serviceAccountName: coder
        toolScopes: [{name: base}, {name: github}]
        attributes: {team: payments}
      """;
  private static final String SCOPES =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: base, namespace: team-a}
      spec: {tools: [Read, Bash, Read]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: github, namespace: team-a}
      spec:
        mcpServers:
          - {name: github, url: "https://gh.example/mcp", tools: [list_issues, get_issue], credentialsSecretRef: {name: gh, key: token}}
      """;
  private static final String POLICY_A =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolPolicy
      metadata: {name: a-files, namespace: team-a}
      spec:
        agents: {names: [coder]}
        rules: [{name: read, tools: [Read], effect: Allow}]
      """;
  private static final String POLICY_B =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolPolicy
      metadata: {name: b-shell, namespace: team-a}
      spec:
        agents: {selector: {matchLabels: {tier: dev}}}
        rules:
          - {name: shell, tools: [Bash], effect: Allow}
          - {name: no-rm, tools: [Bash], when: "resource.program == 'rm'", effect: Deny, message: no rm}
      """;

  @Test
  void compilesScopesPoliciesAndMcpServersInAStableOrder() {
    Bundle bundle = compile(IDENTITY, SCOPES, POLICY_B, POLICY_A).bundle().orElseThrow();

    assertThat(bundle.schema()).isEqualTo(Bundle.SCHEMA);
    assertThat(bundle.tools())
        .containsExactly("Bash", "Read", "mcp__github__get_issue", "mcp__github__list_issues");
    assertThat(bundle.scopes()).containsExactly("team-a/base", "team-a/github");
    assertThat(bundle.policies()).containsExactly("team-a/a-files", "team-a/b-shell");
    assertThat(bundle.rules())
        .extracting(Bundle.Rule::id)
        .containsExactly("team-a/a-files/read", "team-a/b-shell/shell", "team-a/b-shell/no-rm");
    assertThat(bundle.mcpServers())
        .singleElement()
        .satisfies(
            server -> {
              assertThat(server.url()).isEqualTo("https://gh.example/mcp");
              assertThat(server.credentialsSecretRef())
                  .isEqualTo(new Bundle.SecretRef("gh", "token"));
              assertThat(server.tools()).containsExactly("get_issue", "list_issues");
            });
    assertThat(bundle.identity().attributes()).containsEntry("team", "payments");
    assertThat(bundle.revision()).matches("[0-9a-f]{16}").isEqualTo(BundleCodec.revisionOf(bundle));
  }

  @Test
  void theSameInputsInAnyOrderGiveTheSameBytes() {
    List<String> documents = new ArrayList<>(List.of(IDENTITY, SCOPES, POLICY_A, POLICY_B));
    String first =
        BundleCodec.toJson(compile(documents.toArray(String[]::new)).bundle().orElseThrow());
    Collections.reverse(documents);
    String second =
        BundleCodec.toJson(compile(documents.toArray(String[]::new)).bundle().orElseThrow());
    assertThat(second).isEqualTo(first);
  }

  @Test
  void anyChangeOfContentChangesTheRevision() {
    Bundle before = compile(IDENTITY, SCOPES, POLICY_A, POLICY_B).bundle().orElseThrow();
    Bundle after =
        compile(IDENTITY, SCOPES, POLICY_A, POLICY_B.replace("message: no rm", "message: no rm!"))
            .bundle()
            .orElseThrow();
    assertThat(after.revision()).isNotEqualTo(before.revision());
  }

  @Test
  void aBrokenPolicyForTheIdentityPreventsTheBundle() {
    String broken = POLICY_B.replace("resource.program == 'rm'", "resource.program ==");
    Compilation compilation = compile(IDENTITY, SCOPES, POLICY_A, broken);
    assertThat(compilation.succeeded()).isFalse();
    assertThat(compilation.problems())
        .extracting(Problem::field)
        .containsExactly("spec.rules[1].when");
  }

  @Test
  void aPolicyWhoseAgentsCannotBeReadBlocksEveryIdentityOfItsNamespaceOnly() {
    String unreadable =
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: deny-all, namespace: team-a}
        spec:
          agents: {names: coder}
          rules: [{name: d, tools: ["*"], effect: Deny}]
        """;
    assertThat(compile(IDENTITY, SCOPES, POLICY_A, unreadable).succeeded()).isFalse();

    String otherNamespace = unreadable.replace("namespace: team-a", "namespace: team-b");
    assertThat(compile(IDENTITY, SCOPES, POLICY_A, otherNamespace).succeeded()).isTrue();
  }

  @Test
  void aBrokenPolicyForAnotherIdentityDoesNotBlockThisOne() {
    String other =
        POLICY_A
            .replace("names: [coder]", "names: [reviewer]")
            .replace("effect: Allow", "effect: Allw");
    assertThat(compile(IDENTITY, SCOPES, POLICY_B, other).succeeded()).isTrue();
  }

  @Test
  void aMissingScopeIsReportedOnTheIdentity() {
    Compilation compilation = compile(IDENTITY, POLICY_A);
    assertThat(compilation.succeeded()).isFalse();
    assertThat(compilation.problems())
        .extracting(Problem::field)
        .containsExactly("spec.toolScopes[0].name", "spec.toolScopes[1].name");
  }

  @Test
  void anUnknownIdentityIsAProblem() {
    Compilation compilation = new BundleCompiler().compile(set(SCOPES), CODER);
    assertThat(compilation.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).isEqualTo("AgentIdentity team-a/coder not found"));
  }

  @Test
  void anApprovalNobodyCouldGiveIsAProblem() {
    String approval =
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: push, namespace: team-a}
        spec:
          agents: {names: [coder]}
          rules:
            - {name: read, tools: [Read], effect: Allow}
            - {name: push, tools: [Bash], effect: RequireApproval}
        """;
    Compilation compilation = compile(IDENTITY, SCOPES, approval);
    assertThat(compilation.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.origin()).isEqualTo("test.yaml");
              assertThat(p.object()).isEqualTo("ToolPolicy/team-a/push");
              assertThat(p.field()).isEqualTo("spec.rules[1].approvers");
              assertThat(p.message()).contains("nobody could approve");
            });
    String withDefaults =
        IDENTITY.replace(
            "attributes:", "approval: {defaultApprovers: [\"group:leads\"]}\n  attributes:");
    assertThat(compile(withDefaults, SCOPES, approval).succeeded()).isTrue();
  }

  @Test
  void anMcpServerDefinedDifferentlyInTwoScopesIsAProblem() {
    String twin =
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: base, namespace: team-a}
        spec:
          tools: [Read]
          mcpServers: [{name: github, url: "https://elsewhere.example/mcp", tools: ["*"]}]
        """;
    Compilation compilation =
        compile(IDENTITY, twin, SCOPES.substring(SCOPES.indexOf("---") + 4), POLICY_A);
    assertThat(compilation.problems())
        .singleElement()
        .satisfies(
            p -> assertThat(p.message()).contains("MCP server 'github' is defined differently"));
  }

  static Compilation compile(String... yamlDocuments) {
    return new BundleCompiler().compile(set(yamlDocuments), CODER);
  }

  static PolicySet set(String... yamlDocuments) {
    List<ManifestLoader.Document> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    ManifestLoader loader = new ManifestLoader();
    for (String yaml : yamlDocuments) {
      loader.readText(yaml, "test.yaml", documents, problems);
    }
    assertThat(problems).isEmpty();
    return PolicySet.fromDocuments(documents, "default");
  }

  static JsonNode yaml(String text) throws Exception {
    return new YAMLMapper().readTree(text);
  }
}
