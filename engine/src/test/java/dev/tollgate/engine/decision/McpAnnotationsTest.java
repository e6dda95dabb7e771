package dev.tollgate.engine.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.bundle.BundleCompiler;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.Kind;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.ObjectRef;
import dev.tollgate.engine.source.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MCP tool annotations (as the gateway last saw them in tools/list) reach conditions as
 * resource.annotations.
 */
class McpAnnotationsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static PolicyEngine engine() throws Exception {
    String yaml =
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: coder, namespace: team-a}
        spec: {serviceAccountName: coder, toolScopes: [{name: s}]}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: s, namespace: team-a}
        spec: {mcpServers: [{name: db, url: "http://db.example/mcp", tools: ["*"]}]}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: p, namespace: team-a}
        spec:
          agents: {names: [coder]}
          rules:
            - name: read-only
              tools: ["mcp__db__*"]
              when: "has(resource.annotations.readOnlyHint) && resource.annotations.readOnlyHint == true"
              effect: Allow
            - name: no-destruction
              tools: ["mcp__db__*"]
              when: "has(resource.annotations.destructiveHint) && resource.annotations.destructiveHint"
              effect: Deny
        """;
    List<ManifestLoader.Document> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    new ManifestLoader().readText(yaml, "t.yaml", documents, problems);
    assertThat(problems).isEmpty();
    Bundle bundle =
        new BundleCompiler()
            .compile(
                PolicySet.fromDocuments(documents, "default"),
                new ObjectRef(Kind.AGENT_IDENTITY, "team-a", "coder"))
            .bundle()
            .orElseThrow();
    return PolicyEngine.load(bundle);
  }

  private static Decision decide(PolicyEngine engine, String annotations) throws Exception {
    return engine.decide(
        new DecisionRequest(
            "mcp__db__query",
            JSON.readTree("{\"sql\":\"select 1\"}"),
            "",
            List.of(),
            null,
            annotations == null ? null : JSON.readTree(annotations)));
  }

  @Test
  void annotationsDecide() throws Exception {
    PolicyEngine engine = engine();
    Decision readOnly = decide(engine, "{\"readOnlyHint\": true, \"title\": \"Query\"}");
    assertThat(readOnly.outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(readOnly.conditionErrors()).isEmpty();
    assertThat(readOnly.resource())
        .containsEntry("annotations", Map.of("readOnlyHint", true, "title", "Query"));

    Decision destructive = decide(engine, "{\"readOnlyHint\": true, \"destructiveHint\": true}");
    assertThat(destructive.outcome()).isEqualTo(Outcome.DENY);
    assertThat(destructive.rules()).containsExactly("team-a/p/no-destruction");
  }

  @Test
  void unknownAnnotationsAreAnEmptyMapNotAnError() throws Exception {
    PolicyEngine engine = engine();
    for (String none :
        new String[] {null, "{}", "[1]", "{\"nested\": {\"x\": 1}, \"nothing\": null}"}) {
      Decision decision = decide(engine, none);
      assertThat(decision.outcome()).as(none).isEqualTo(Outcome.DENY);
      assertThat(decision.reasonCodes()).as(none).containsExactly("NoRuleAllows");
      assertThat(decision.conditionErrors()).as(none).isEmpty();
      assertThat(decision.resource()).as(none).containsEntry("annotations", Map.of());
    }
    // The four-argument derivation (hooks, audit of attempts) has the same shape.
    assertThat(ResourceDeriver.derive("mcp__db__query", JSON.readTree("{}"), "/", "/root"))
        .containsEntry("type", "mcp")
        .containsEntry("server", "db")
        .containsEntry("tool", "query")
        .containsEntry("annotations", Map.of());
  }
}
