package dev.tollgate.engine.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.bundle.BundleCompiler;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.Kind;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.ObjectRef;
import dev.tollgate.engine.source.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyEngineTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static PolicyEngine engine(String mode) throws Exception {
    String yaml =
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: coder, namespace: team-a}
        spec: {serviceAccountName: coder, mode: MODE, toolScopes: [{name: s}]}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: s, namespace: team-a}
        spec: {tools: [Read, Bash, "mcp__*"]}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: p, namespace: team-a}
        spec:
          agents: {names: [coder]}
          rules:
            - {name: read, tools: [Read], effect: Allow}
            - {name: shell, tools: [Bash], when: "resource.program != 'rm'", effect: Allow}
            # Conditions of rules for other tools must never run for Read: this one always errors.
            - {name: broken-for-mcp, tools: ["mcp__*"], when: "args.nothing.deeper == 1", effect: Deny}
        """
            .replace("MODE", mode);
    List<ManifestLoader.Document> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    new ManifestLoader().readText(yaml, "t.yaml", documents, problems);
    Bundle bundle =
        new BundleCompiler()
            .compile(
                PolicySet.fromDocuments(documents, "default"),
                new ObjectRef(Kind.AGENT_IDENTITY, "team-a", "coder"))
            .bundle()
            .orElseThrow();
    return PolicyEngine.load(bundle);
  }

  private static DecisionRequest request(String tool, String argsJson) throws Exception {
    return new DecisionRequest(tool, JSON.readTree(argsJson), "", List.of(), null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Enforce", "Audit"})
  void anUnreadableRequestIsDeniedEvenInAuditMode(String mode) throws Exception {
    PolicyEngine engine = engine(mode);
    for (DecisionRequest bad :
        List.of(
            request("", "{}"),
            request("  ", "{}"),
            request("x".repeat(300), "{}"),
            new DecisionRequest(
                "Read", JsonNodeFactory.instance.arrayNode(), "", List.of(), null))) {
      Decision decision = engine.decide(bad);
      assertThat(decision.outcome()).isEqualTo(Outcome.DENY);
      assertThat(decision.reasonCodes()).containsExactly("BadRequest");
      assertThat(decision.bundleRevision()).isEqualTo(engine.revision());
    }
  }

  @Test
  void rulesForOtherToolsAreNeverEvaluated() throws Exception {
    Decision read = engine("Enforce").decide(request("Read", "{\"file_path\":\"/a\"}"));
    assertThat(read.outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(read.conditionErrors()).isEmpty();

    Decision mcp = engine("Enforce").decide(request("mcp__db__query", "{}"));
    assertThat(mcp.outcome()).isEqualTo(Outcome.DENY);
    assertThat(mcp.conditionErrors()).containsOnlyKeys("team-a/p/broken-for-mcp");
  }

  @Test
  void summaryExplainsTheDecisionForTheAgent() throws Exception {
    Decision rm = engine("Enforce").decide(request("Bash", "{\"command\":\"rm -rf /\"}"));
    assertThat(rm.summary())
        .isEqualTo("no rule allows tool 'Bash' for AgentIdentity team-a/coder [NoRuleAllows]");
    Decision audited = engine("Audit").decide(request("Bash", "{\"command\":\"rm -rf /\"}"));
    assertThat(audited.summary()).startsWith("audit mode, would deny: no rule allows tool 'Bash'");
    assertThat(DecisionJson.toJson(audited).path("wouldDecide").path("decision").asText())
        .isEqualTo("deny");
    assertThat(DecisionJson.toJson(audited).path("decision").asText()).isEqualTo("allow");
  }

  @Test
  void oneEngineServesManyThreadsConsistently() throws Exception {
    PolicyEngine engine = engine("Enforce");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 2_000; i++) {
                    boolean allowLs =
                        engine.decide(request("Bash", "{\"command\":\"ls " + i + "\"}")).outcome()
                            == Outcome.ALLOW;
                    boolean denyRm =
                        engine.decide(request("Bash", "{\"command\":\"rm " + i + "\"}")).outcome()
                            == Outcome.DENY;
                    boolean outOfScope =
                        engine
                            .decide(request("Tool" + i, "{}"))
                            .reasonCodes()
                            .equals(List.of("OutOfScope"));
                    if (!allowLs || !denyRm || !outOfScope) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
