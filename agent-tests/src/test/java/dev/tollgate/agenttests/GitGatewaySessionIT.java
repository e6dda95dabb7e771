package dev.tollgate.agenttests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.agenttests.model.ScriptedModel;
import dev.tollgate.agenttests.model.ToolCall;
import dev.tollgate.agenttests.model.ToolResult;
import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.bundle.BundleCodec;
import dev.tollgate.testsupport.GitHttpUpstream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code pushes through the sidecar's git gateway: the policy lets every git command
 * run in Bash, so the force push is decided where the push really is, on what it changes: the
 * gateway refuses the rewrite of main (the model gets git's own error, with Tollgate's reason) and
 * lets a new branch through to the authenticated upstream, whose credential only the sidecar has.
 */
class GitGatewaySessionIT {

  private static final String FORCE = "toolu_git_force_push";
  private static final String BRANCH = "toolu_git_new_branch";

  @TempDir static Path root;
  private static GitHttpUpstream upstream;
  private static Path upstreamRepo;
  private static String mainBefore;
  private static ScriptedModel model;
  private static ClaudeCode.Run run;
  private static AuditTrail audit;
  private static List<JsonNode> events;

  @BeforeAll
  static void playTheSession() throws Exception {
    assumeTrue(GitHttpUpstream.available(), "git http-backend is installed");
    upstream = new GitHttpUpstream(Files.createDirectories(root.resolve("upstream")));
    upstreamRepo = upstream.create("shop");
    Path seed = Files.createDirectories(root.resolve("seed"));
    git(seed, "init", "-q", "-b", "main");
    Files.writeString(seed.resolve("README.md"), "shop\n");
    git(seed, "add", ".");
    git(seed, "commit", "-q", "-m", "first");
    git(seed, "push", "-q", upstream.authenticatedUrl("shop"), "main");
    mainBefore = git(upstreamRepo, "rev-parse", "refs/heads/main");

    Path credentials = Files.createDirectories(root.resolve("credentials/shop"));
    Files.writeString(credentials.resolve("token"), GitHttpUpstream.TOKEN + "\n");
    Path bundle = RepoCoderBundle.writeFromManifests(manifests(), root.resolve("bundle.json"));
    pointRemoteAt(bundle, upstream.url("shop"));
    try (SidecarProcess sidecar =
        SidecarProcess.start(
            bundle,
            root,
            "/readyz",
            "--git-mirror-dir",
            root.resolve("mirrors").toString(),
            "--git-credentials-dir",
            root.resolve("credentials").toString())) {
      // The agent's checkout, cloned through the gateway (what the injected insteadOf does).
      Path workspace = root.resolve("workspace");
      git(root, "clone", "-q", sidecar.url() + "/git/shop", workspace.toString());
      model =
          new ScriptedModel(
              List.of(
                  ToolCall.of(
                      FORCE,
                      "Bash",
                      Map.of(
                          "command",
                          "git commit -q --amend -m rewritten && git push --force origin main",
                          "description",
                          "Rewrite and force-push main")),
                  ToolCall.of(
                      BRANCH,
                      "Bash",
                      Map.of(
                          "command",
                          "git push origin HEAD:refs/heads/rewrite-proposal",
                          "description",
                          "Push a branch instead"))));
      Path settings = HookSettings.write(root.resolve("settings.json"), sidecar.url());
      run =
          ClaudeCode.run(
              workspace,
              root.resolve("home"),
              settings,
              model.baseUrl(),
              Map.of(
                  "GIT_AUTHOR_NAME",
                  "Agent",
                  "GIT_AUTHOR_EMAIL",
                  "agent@example.test",
                  "GIT_COMMITTER_NAME",
                  "Agent",
                  "GIT_COMMITTER_EMAIL",
                  "agent@example.test",
                  "GIT_CONFIG_NOSYSTEM",
                  "1",
                  "GIT_TERMINAL_PROMPT",
                  "0"));
      sidecar.stop(); // a barrier: every audit line of the session is on disk before it is read
      events = sidecar.audit();
      audit = new AuditTrail(events);
    }
  }

  @AfterAll
  static void stopServers() {
    if (model != null) {
      model.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void theSessionPlayedBothCalls() {
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(model.servedCalls()).containsExactly(FORCE, BRANCH);
  }

  @Test
  void bashLetTheForcePushRunAndTheGatewayRefusedItWithGitsOwnError() {
    // The hook allowed the Bash call: the decision that counts was taken on the push itself.
    assertThat(audit.types(FORCE)).contains("tool_call.allowed");
    ToolResult result = model.resultFor(FORCE);
    assertThat(result.isError()).as("%s", result).isTrue();
    assertThat(result.content())
        .contains("remote rejected")
        .contains("Tollgate: force pushes are not allowed");
  }

  @Test
  void theUpstreamMainIsUnchangedAndTheNewBranchLanded() throws Exception {
    assertThat(git(upstreamRepo, "rev-parse", "refs/heads/main")).isEqualTo(mainBefore);
    assertThat(model.resultFor(BRANCH).isError()).as("%s", model.resultFor(BRANCH)).isFalse();
    assertThat(git(upstreamRepo, "rev-parse", "refs/heads/rewrite-proposal")).hasSize(40);
  }

  @Test
  void theAuditHasTheGitPushDecisionsWithTheirUpdates() {
    List<JsonNode> pushes =
        events.stream().filter(e -> e.path("tool").asText().equals("GitPush")).toList();
    assertThat(pushes)
        .anySatisfy(
            e -> {
              assertThat(e.path("type").asText()).isEqualTo("tool_call.denied");
              assertThat(e.at("/resource/updates/0/kind").asText()).isEqualTo("force");
              assertThat(e.at("/resource/updates/0/ref").asText()).isEqualTo("refs/heads/main");
            });
    assertThat(pushes)
        .anySatisfy(
            e -> {
              assertThat(e.path("type").asText()).isEqualTo("tool_call.allowed");
              assertThat(e.at("/resource/updates/0/kind").asText()).isEqualTo("create");
            });
  }

  @Test
  void theUpstreamOnlyEverSawTheSidecarsCredential() {
    String sidecars =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (GitHttpUpstream.USER + ":" + GitHttpUpstream.TOKEN)
                        .getBytes(StandardCharsets.UTF_8));
    assertThat(upstream.authorizations).isNotEmpty().containsOnly(sidecars);
  }

  private static String manifests() {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: repo-coder, namespace: agents}
        spec:
          serviceAccountName: repo-coder
          toolScopes: [{name: shell}, {name: repos}]
          delegation: {required: true, allowedPrincipals: ["user:alice"]}
          mode: Enforce
          runtime: ClaudeCode
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: shell, namespace: agents}
        spec: {tools: [Bash]}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: repos, namespace: agents}
        spec:
          gitRemotes:
            - {name: shop, url: "https://git.example.test/acme/shop.git", credentialsSecretRef: {name: gh, key: token}}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: git-session, namespace: agents}
        spec:
          agents: {names: [repo-coder]}
          rules:
            - name: git-in-bash
              tools: [Bash]
              when: >-
                size(resource.commands) > 0 && !resource.opaque &&
                resource.commands.all(c, c.name == 'git')
              effect: Allow
            - {name: fetch, tools: [GitFetch], effect: Allow}
            - name: new-branches
              tools: [GitPush]
              when: resource.updates.all(u, u.kind == 'create')
              effect: Allow
            - name: no-force
              tools: [GitPush]
              when: resource.updates.exists(u, u.kind == 'force')
              effect: Deny
              message: force pushes are not allowed; push a new branch instead
        """;
  }

  /** The CRD admits https remotes only; the test's upstream is plain HTTP on loopback. */
  private static void pointRemoteAt(Path bundleFile, String url) throws Exception {
    Bundle b = BundleCodec.fromJson(Files.readString(bundleFile));
    List<Bundle.GitRemote> remotes = new ArrayList<>();
    for (Bundle.GitRemote r : b.gitRemotes()) {
      remotes.add(new Bundle.GitRemote(r.name(), url, r.credentialsSecretRef(), r.scope()));
    }
    Files.writeString(bundleFile, BundleCodec.toJson(b.withGitRemotes(remotes)));
  }

  private static String git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("HOME", root.resolve("home").toString());
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_AUTHOR_NAME", "Seed");
    env.put("GIT_AUTHOR_EMAIL", "seed@example.test");
    env.put("GIT_COMMITTER_NAME", "Seed");
    env.put("GIT_COMMITTER_EMAIL", "seed@example.test");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("git " + String.join(" ", args) + ": " + output);
    }
    return output.strip();
  }
}
