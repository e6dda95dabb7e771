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
 * The exact resource of GitFetch and GitPush: the contract the git gateway relies on when it turns
 * a push into a decision request (docs/design.md, README "Git remotes").
 */
class GitResourceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ZERO = "0".repeat(40);
  private static final String A = "a".repeat(40);
  private static final String B = "b".repeat(40);

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
        spec: {gitRemotes: [{name: shop, url: "https://github.com/acme/shop.git"}]}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: p, namespace: team-a}
        spec:
          agents: {names: [coder]}
          rules:
            - name: features
              tools: [GitPush]
              when: "resource.updates.all(u, u.ref.startsWith('refs/heads/feature/'))"
              effect: Allow
            - name: no-history-rewrite
              tools: [GitPush]
              when: "resource.updates.exists(u, u.kind == 'force' || u.kind == 'delete')"
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

  private static Decision push(PolicyEngine engine, String ref, String kind, String old, String now)
      throws Exception {
    String input =
        "{\"remote\": \"shop\", \"updates\": [{\"ref\": \"%s\", \"kind\": \"%s\", \"oldId\": \"%s\", \"newId\": \"%s\"}]}"
            .formatted(ref, kind, old, now);
    return engine.decide(new DecisionRequest("GitPush", JSON.readTree(input), "", List.of(), null));
  }

  @Test
  void aPushCarriesItsUpdatesAndTheBundlesUrl() throws Exception {
    Decision decision = push(engine(), "refs/heads/feature/login", "fastForward", A, B);

    assertThat(decision.outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(decision.conditionErrors()).isEmpty();
    assertThat(decision.resource())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "type", "git",
                "remote", "shop",
                "url", "https://github.com/acme/shop.git",
                "updates",
                    List.of(
                        Map.of(
                            "ref",
                            "refs/heads/feature/login",
                            "kind",
                            "fastForward",
                            "oldId",
                            A,
                            "newId",
                            B))));
  }

  @Test
  void forceAndDeleteAreDeniedAndOtherBranchesAreNotAllowed() throws Exception {
    PolicyEngine engine = engine();

    assertThat(push(engine, "refs/heads/feature/x", "force", A, B).rules())
        .containsExactly("team-a/p/no-history-rewrite");
    assertThat(push(engine, "refs/heads/feature/x", "delete", A, ZERO).rules())
        .containsExactly("team-a/p/no-history-rewrite");
    assertThat(push(engine, "refs/heads/feature/x", "create", ZERO, A).outcome())
        .isEqualTo(Outcome.ALLOW);
    assertThat(push(engine, "refs/heads/main", "create", ZERO, A).reasonCodes())
        .containsExactly("NoRuleAllows");
  }

  @Test
  void aFetchHasNoUpdates() throws Exception {
    Decision decision =
        engine()
            .decide(
                new DecisionRequest(
                    "GitFetch", JSON.readTree("{\"remote\": \"shop\"}"), "", List.of(), null));

    assertThat(decision.resource())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("type", "git", "remote", "shop", "url", "https://github.com/acme/shop.git"));
    // No rule names GitFetch: in scope, but nothing allows it.
    assertThat(decision.reasonCodes()).containsExactly("NoRuleAllows");
  }

  @Test
  void outsideTheEngineTheResourceHasNoUrlYet() throws Exception {
    // Callers that only describe a call (audit of an attempt) derive without a bundle.
    assertThat(
            ResourceDeriver.derive("GitFetch", JSON.readTree("{\"remote\": \"shop\"}"), "/", "/"))
        .containsEntry("url", "");
  }
}
