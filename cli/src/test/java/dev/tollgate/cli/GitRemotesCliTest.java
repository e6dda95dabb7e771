package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Git remotes and the git tools through {@code tollgate validate} and {@code tollgate test}. */
class GitRemotesCliTest {

  private static final String ZERO = "0".repeat(40);
  private static final String ONE = "1".repeat(40);
  private static final String TWO = "2".repeat(40);

  private static final String SCOPE =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: base, namespace: team}
      spec:
        tools: [Read, Bash]
        gitRemotes:
          - {name: shop, url: "https://github.com/acme/shop.git", credentialsSecretRef: {name: gh, key: token}}
      """;

  private static final String RULES =
      """
      - {name: fetch, tools: [GitFetch], effect: Allow}
      - name: new-branches
        tools: [GitPush]
        when: resource.updates.all(u, u.kind == 'create')
        effect: Allow
      - name: main-needs-approval
        tools: [GitPush]
        when: resource.updates.exists(u, u.kind == 'fastForward' && u.ref == 'refs/heads/main')
        effect: RequireApproval
      - name: no-force
        tools: [GitPush]
        when: resource.updates.exists(u, u.kind in ['force', 'delete'])
        effect: Deny
        message: no force pushes
      """;

  @TempDir Path dir;

  @Test
  void policyTestsDecideGitFetchAndGitPush() {
    write(SCOPE, RULES.indent(4));
    Manifests.write(
        dir.resolve("git.policytest.yaml"),
        """
        apiVersion: cli.tollgate.dev/v1alpha1
        kind: ToolPolicyTest
        metadata: {name: git, namespace: team}
        spec:
          identity: team/coder
          cases:
            - name: clone
              input: {tool_name: GitFetch, tool_input: {remote: shop}}
              expect: allow
            - name: another repository
              input: {tool_name: GitFetch, tool_input: {remote: other}}
              expect: deny
              expectReason: OutOfScope
            - name: new branch
              input: {tool_name: GitPush, tool_input: {remote: shop, updates: [{ref: refs/heads/x, kind: create, oldId: "%1$s", newId: "%2$s"}]}}
              expect: allow
              expectRule: team/p/new-branches
            - name: main
              input: {tool_name: GitPush, tool_input: {remote: shop, updates: [{ref: refs/heads/main, kind: fastForward, oldId: "%2$s", newId: "%3$s"}]}}
              expect: approval_required
            - name: force
              input: {tool_name: GitPush, tool_input: {remote: shop, updates: [{ref: refs/heads/main, kind: force, oldId: "%2$s", newId: "%3$s"}]}}
              expect: deny
              expectRule: team/p/no-force
        """
            .formatted(ZERO, ONE, TWO));

    CliRun run = CliRun.run("test", "-f", dir.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).isEqualTo("5 passed, 0 failed\n");
  }

  @Test
  void badRemotesAndMisspeltFieldsAreNamed() {
    write(
        SCOPE.replace("https://github.com/acme/shop.git", "git@github.com:acme/shop.git")
            + "    - {name: Docs, url: \"https://docs.example/x\"}\n",
        "    - {name: r, tools: [GitPush], effect: Deny, when: \"resource.updates.exists(u, u.knd == 'force')\"}\n");

    CliRun run = CliRun.run("validate", "-f", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    String scope = dir.resolve("scope.yaml") + ": ToolScope/team/base: ";
    String policy = dir.resolve("policy.yaml") + ": ToolPolicy/team/p: ";
    assertThat(run.errLines())
        .containsExactlyInAnyOrder(
            scope
                + "spec.gitRemotes[0].url: must be https://HOST/PATH without user, query or fragment, got 'git@github.com:acme/shop.git'",
            scope
                + "spec.gitRemotes[1].name: must be a lowercase DNS label (a-z, 0-9, '-'), at most 63 characters, got 'Docs'",
            policy
                + "spec.rules[0].when: an element of a resource list has no field 'knd' for GitPush (it has kind, newId, oldId, ref)");
  }

  private void write(String scope, String rules) {
    Manifests.write(dir.resolve("identity.yaml"), Manifests.IDENTITY);
    Manifests.write(dir.resolve("scope.yaml"), scope);
    Manifests.write(dir.resolve("policy.yaml"), Manifests.policy(rules));
  }
}
