package dev.tollgate.sidecar.gate.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.bundle.BundleCodec;
import dev.tollgate.sidecar.SidecarFixture;
import dev.tollgate.sidecar.approval.ApprovalBroker;
import dev.tollgate.sidecar.approval.InMemoryApprovalStore;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.AuditEventType;
import dev.tollgate.testsupport.GitHttpUpstream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The git gateway with real components on loopback: git's own http-backend as the upstream, which
 * demands the credential only the sidecar holds, and the real git client as the agent.
 */
@Timeout(180)
class GitGatewayTest {

  static final String POLICIES =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: coder, namespace: team-a}
      spec:
        serviceAccountName: coder
        toolScopes: [{name: repos}]
        approval: {timeoutSeconds: 60, defaultApprovers: ["user:lead"]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: repos, namespace: team-a}
      spec:
        gitRemotes:
          - {name: shop, url: "https://git.example.test/acme/shop.git", credentialsSecretRef: {name: gh, key: token}}
          - {name: down, url: "https://git.example.test/acme/down.git"}
          - {name: junk, url: "https://git.example.test/acme/junk.git"}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolPolicy
      metadata: {name: git, namespace: team-a}
      spec:
        agents: {names: [coder]}
        rules:
          - {name: fetch, tools: [GitFetch], effect: Allow}
          - name: new-branches
            tools: [GitPush]
            when: resource.updates.all(u, u.kind == 'create' && u.ref.startsWith('refs/heads/'))
            effect: Allow
          - name: main-needs-approval
            tools: [GitPush]
            when: resource.updates.exists(u, u.kind == 'fastForward' && u.ref == 'refs/heads/main')
            effect: RequireApproval
          - name: no-force
            tools: [GitPush]
            when: resource.updates.exists(u, u.kind == 'force')
            effect: Deny
            message: force pushes are not allowed
          - name: no-delete
            tools: [GitPush]
            when: resource.updates.exists(u, u.kind == 'delete')
            effect: Deny
            message: deleting remote refs is not allowed
      """;

  @TempDir Path dir;

  final InMemoryApprovalStore approvals = new InMemoryApprovalStore("team-a");
  GitCli git;
  GitHttpUpstream upstream;
  ServerSocket silent;
  HttpServer garbage;
  SidecarFixture sidecar;
  Path upstreamRepo;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(GitHttpUpstream.available(), "git http-backend is installed");
    Path home = Files.createDirectories(dir.resolve("home"));
    git = new GitCli(home);
    upstream = new GitHttpUpstream(Files.createDirectories(dir.resolve("upstream")));
    upstreamRepo = upstream.create("shop");
    Path seed = Files.createDirectories(dir.resolve("seed"));
    git.ok(seed, "init", "-b", "main");
    Files.writeString(seed.resolve("README.md"), "shop\n");
    git.ok(seed, "add", ".");
    git.ok(seed, "commit", "-m", "first");
    git.ok(seed, "branch", "old-feature");
    git.ok(seed, "push", upstream.authenticatedUrl("shop"), "main", "old-feature");
    // A port that accepts connections and never answers: an upstream that hangs.
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Path credentials = Files.createDirectories(dir.resolve("credentials/shop"));
    Files.writeString(credentials.resolve("token"), GitHttpUpstream.TOKEN + "\n");
    sidecar =
        SidecarFixture.startWithBundle(
            dir,
            bundle(
                POLICIES,
                upstream.url("shop"),
                "http://127.0.0.1:" + silent.getLocalPort(),
                garbageUrl()),
            new ApprovalBroker(approvals, Clock.systemUTC(), Duration.ofHours(1)),
            "--git-mirror-dir",
            dir.resolve("mirrors").toString(),
            "--git-credentials-dir",
            dir.resolve("credentials").toString(),
            "--git-upstream-timeout-ms",
            "2000");
  }

  @AfterEach
  void stop() throws Exception {
    if (sidecar != null) {
      sidecar.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (silent != null) {
      silent.close();
    }
    if (garbage != null) {
      garbage.stop(0);
    }
  }

  /** The compiled bundle with the remotes pointed at loopback (the CRD admits https only). */
  static String bundle(String policies, String shopUrl, String downUrl, String garbageUrl)
      throws Exception {
    Bundle compiled = BundleCodec.fromJson(SidecarFixture.bundle(policies));
    List<Bundle.GitRemote> remotes =
        compiled.gitRemotes().stream()
            .map(
                r ->
                    new Bundle.GitRemote(
                        r.name(),
                        switch (r.name()) {
                          case "shop" -> shopUrl;
                          case "down" -> downUrl;
                          default -> garbageUrl;
                        },
                        r.credentialsSecretRef(),
                        r.scope()))
            .toList();
    return BundleCodec.toJson(compiled.withGitRemotes(remotes));
  }

  /** An HTTP server that answers every request with a 200 that is no git protocol at all. */
  String garbageUrl() throws Exception {
    garbage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    garbage.createContext(
        "/",
        exchange -> {
          byte[] body = "<html>hello</html>".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    garbage.start();
    return "http://127.0.0.1:" + garbage.getAddress().getPort() + "/junk.git";
  }

  String gateway(String remote) {
    return sidecar.url() + "/git/" + remote + "/";
  }

  String upstreamRef(String ref) throws Exception {
    return git.ok(upstreamRepo, "rev-parse", "--verify", "-q", ref);
  }

  /** A clone through the gateway, with the agent's own (bogus) Authorization on every request. */
  Path cloneShop(String name) throws Exception {
    Path work = dir.resolve(name);
    git.ok(
        dir,
        "-c",
        "http.extraHeader=Authorization: Bearer agent-own-token",
        "clone",
        gateway("shop"),
        work.toString());
    return work;
  }

  String commit(Path work, String file) throws Exception {
    Files.writeString(work.resolve(file), file + "\n");
    git.ok(work, "add", file);
    git.ok(work, "commit", "-m", "add " + file);
    return git.ok(work, "rev-parse", "HEAD");
  }

  /** The shop remote's bare mirror in the sidecar's mirror directory. */
  Path shopMirror() throws Exception {
    try (Stream<Path> mirrors = Files.list(dir.resolve("mirrors"))) {
      return mirrors
          .filter(p -> p.getFileName().toString().startsWith("shop-"))
          .findFirst()
          .orElseThrow();
    }
  }

  boolean mirrorHolds(String id) throws Exception {
    return git.run(dir, "--git-dir", shopMirror().toString(), "cat-file", "-e", id + "^{commit}")
            .exit()
        == 0;
  }

  /** What is left in the push quarantines. */
  List<Path> quarantined() throws Exception {
    Path quarantines = dir.resolve("mirrors/quarantine");
    if (!Files.isDirectory(quarantines)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(quarantines)) {
      return entries.toList();
    }
  }

  List<AuditEvent> decided(String tool, AuditEventType type) {
    return sidecar.auditEvents().stream()
        .filter(e -> tool.equals(e.tool()) && e.type() == type)
        .toList();
  }

  @Test
  void aCloneGetsTheUpstreamThroughTheMirrorWithTheSidecarsCredentialOnly() throws Exception {
    Path work = cloneShop("clone");

    assertThat(work.resolve("README.md")).hasContent("shop");
    assertThat(git.ok(work, "rev-parse", "HEAD")).isEqualTo(upstreamRef("main"));
    assertThat(upstream.authorizations)
        .isNotEmpty()
        .allSatisfy(a -> assertThat(a).doesNotContain("agent-own-token"));
    assertThat(decided("GitFetch", AuditEventType.ALLOWED))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.source()).isEqualTo("git"));
    assertThat(Files.readString(work.resolve(".git/config"))).doesNotContain("upstream-secret");

    // A later fetch through the gateway sees what was pushed to the upstream meanwhile.
    Path other = dir.resolve("other");
    git.ok(dir, "clone", upstream.authenticatedUrl("shop"), other.toString());
    String moved = commit(other, "moved.txt");
    git.ok(other, "push", "origin", "main");
    git.ok(work, "pull", "--ff-only");
    assertThat(git.ok(work, "rev-parse", "HEAD")).isEqualTo(moved);
  }

  @Test
  void aDeniedFetchIsA403CarryingThePolicysReason() throws Exception {
    sidecar.close();
    String denying =
        POLICIES.replace(
            "{name: fetch, tools: [GitFetch], effect: Allow}",
            "{name: fetch, tools: [GitFetch], effect: Deny, message: no cloning today}");
    sidecar =
        SidecarFixture.startWithBundle(
            dir,
            bundle(denying, upstream.url("shop"), upstream.url("down"), upstream.url("junk")),
            null,
            "--git-mirror-dir",
            dir.resolve("mirrors").toString(),
            "--git-credentials-dir",
            dir.resolve("credentials").toString());

    upstream.authorizations.clear();
    GitCli.Run clone = git.run(dir, "clone", gateway("shop"), dir.resolve("denied").toString());

    assertThat(clone.exit()).isNotZero();
    assertThat(clone.output()).contains("Tollgate: no cloning today").contains("403");
    assertThat(upstream.authorizations).isEmpty();
  }

  @Test
  void aPackOverTheLimitIsRefusedWhileReceived() throws Exception {
    sidecar.close();
    sidecar =
        SidecarFixture.startWithBundle(
            dir,
            bundle(POLICIES, upstream.url("shop"), upstream.url("down"), upstream.url("junk")),
            null,
            "--git-mirror-dir",
            dir.resolve("mirrors").toString(),
            "--git-credentials-dir",
            dir.resolve("credentials").toString(),
            "--git-max-pack-bytes",
            String.valueOf(1 << 20));
    Path work = cloneShop("big");
    git.ok(work, "checkout", "-b", "feature/big");
    // Random bytes do not compress: the pack is about 3 MiB, over the 1 MiB limit.
    byte[] noise = new byte[3 << 20];
    new Random(17).nextBytes(noise);
    Files.write(work.resolve("noise.bin"), noise);
    git.ok(work, "add", "noise.bin");
    git.ok(work, "commit", "-m", "big");

    GitCli.Run push = git.run(work, "push", "origin", "feature/big");

    assertThat(push.exit()).isNotZero();
    assertThat(
            git.run(upstreamRepo, "rev-parse", "--verify", "-q", "refs/heads/feature/big").exit())
        .isNotZero();
    assertThat(quarantined()).isEmpty();
  }

  @Test
  void pathsOtherThanTheSmartEndpointsAre404() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(gateway("shop") + "objects/info/packs")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("no git endpoint");
  }

  @Test
  void theUpstreamRefusesRequestsWithoutTheCredential() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(upstream.url("shop") + "/info/refs?service=git-upload-pack"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void aNewBranchIsAllowedAndLandsUpstream() throws Exception {
    Path work = cloneShop("branch");
    git.ok(work, "checkout", "-b", "feature/cart");
    String head = commit(work, "cart.txt");

    GitCli.Run push = git.run(work, "push", "origin", "feature/cart");

    assertThat(push.exit()).as(push.output()).isZero();
    assertThat(upstreamRef("refs/heads/feature/cart")).isEqualTo(head);
    assertThat(decided("GitPush", AuditEventType.ALLOWED)).hasSize(1);
  }

  @Test
  void aRewrittenMainIsDeniedHoweverThePushIsSpelled() throws Exception {
    String main = upstreamRef("main");
    Path work = cloneShop("rewrite");
    Files.writeString(work.resolve("README.md"), "rewritten\n");
    git.ok(work, "commit", "-a", "--amend", "-m", "rewritten history");
    String url = gateway("shop");
    List<String[]> spellings =
        List.of(
            new String[] {"push", "-f", "origin", "main"},
            new String[] {"push", "origin", "+main"},
            new String[] {"push", "--force-with-lease", "origin", "main"},
            new String[] {"push", "--mirror", "origin"},
            new String[] {"-c", "remote.origin.mirror=true", "push"},
            new String[] {"-c", "alias.p=push -f", "p", "origin", "main"},
            new String[] {"push", "--force", url, "+HEAD:refs/heads/main"});
    for (String[] spelling : spellings) {
      GitCli.Run push = git.run(work, spelling);
      assertThat(push.exit())
          .as("git %s: %s", String.join(" ", spelling), push.output())
          .isNotZero();
      assertThat(push.output())
          .as("git %s", String.join(" ", spelling))
          .contains("Tollgate")
          .contains("force pushes are not allowed");
      assertThat(upstreamRef("main")).isEqualTo(main);
    }
    // send-pack speaks only ssh, git:// and local paths; over HTTP git itself routes every push
    // through its remote helper's receive-pack request, the one the gateway decides above.
    GitCli.Run sendPack = git.run(work, "send-pack", "--force", url, "main:main");
    assertThat(sendPack.exit()).isNotZero();
    assertThat(upstreamRef("main")).isEqualTo(main);
  }

  @Test
  void aDeniedPushLeavesNoObjectInTheMirrorAndAnAllowedOneLandsThere() throws Exception {
    Path work = cloneShop("quarantine");
    Files.writeString(work.resolve("README.md"), "rewritten\n");
    git.ok(work, "commit", "-a", "--amend", "-m", "rewritten history");
    String rewritten = git.ok(work, "rev-parse", "HEAD");

    GitCli.Run denied = git.run(work, "push", "-f", "origin", "main");

    assertThat(denied.exit()).as(denied.output()).isNotZero();
    assertThat(mirrorHolds(rewritten)).isFalse();
    assertThat(quarantined()).isEmpty();

    git.ok(work, "checkout", "-b", "feature/kept");
    String kept = commit(work, "kept.txt");
    git.ok(work, "push", "origin", "feature/kept");

    assertThat(mirrorHolds(kept)).isTrue();
    assertThat(quarantined()).isEmpty();
    // The moved objects serve a fetch and a fresh clone through the gateway.
    Path again = cloneShop("again");
    git.ok(again, "fetch", "origin", "feature/kept");
    git.ok(again, "checkout", "feature/kept");
    assertThat(again.resolve("kept.txt")).hasContent("kept.txt");
    assertThat(git.ok(again, "fsck", "--no-dangling")).doesNotContain("missing");
  }

  @Test
  void aPushHeldForApprovalAndAnotherEachHaveTheirOwnQuarantine() throws Exception {
    Path work = cloneShop("held");
    String held = commit(work, "held.txt");
    GitCli.Pending waiting = git.start(work, "push", "origin", "main");
    await().atMost(Duration.ofSeconds(30)).until(() -> approvals.asked().size() == 1);
    assertThat(quarantined()).hasSize(1);

    Path other = cloneShop("concurrent");
    git.ok(other, "checkout", "-b", "feature/meanwhile");
    String meanwhile = commit(other, "meanwhile.txt");
    git.ok(other, "push", "origin", "feature/meanwhile");

    // The other push landed and moved its objects; the held one's are still only in its own.
    assertThat(upstreamRef("refs/heads/feature/meanwhile")).isEqualTo(meanwhile);
    assertThat(mirrorHolds(meanwhile)).isTrue();
    assertThat(mirrorHolds(held)).isFalse();
    assertThat(quarantined()).hasSize(1);

    approvals.decide("team-a/approval-1", true, "lead", "");
    GitCli.Run approved = waiting.await();
    assertThat(approved.exit()).as(approved.output()).isZero();
    assertThat(upstreamRef("main")).isEqualTo(held);
    assertThat(mirrorHolds(held)).isTrue();
    assertThat(quarantined()).isEmpty();
  }

  @Test
  void aQuarantineLeftByAPreviousProcessIsRemovedAtStart() throws Exception {
    sidecar.close();
    Path stale = Files.createDirectories(dir.resolve("mirrors/quarantine/left.git/objects/pack"));
    Files.writeString(stale.resolve("pack-0000.pack"), "half a pack");

    sidecar =
        SidecarFixture.startWithBundle(
            dir,
            bundle(POLICIES, upstream.url("shop"), upstream.url("down"), upstream.url("junk")),
            null,
            "--git-mirror-dir",
            dir.resolve("mirrors").toString(),
            "--git-credentials-dir",
            dir.resolve("credentials").toString());

    assertThat(quarantined()).isEmpty();
    cloneShop("after-restart");
  }

  @Test
  void aRefNameClimbingOutOfTheRepositoryIsRefusedAndWritesNothing() throws Exception {
    String main = upstreamRef("main");
    cloneShop("prime");
    String escape = "refs/heads/../../../../escaped";
    String command = ObjectId.zeroId().name() + " " + main + " " + escape + "\0report-status\n";
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.write(String.format("%04x", command.length() + 4).getBytes(StandardCharsets.UTF_8));
    request.write(command.getBytes(StandardCharsets.UTF_8));
    request.write("0000".getBytes(StandardCharsets.UTF_8));
    request.write(emptyPack());

    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(gateway("shop") + "git-receive-pack"))
                    .header("Content-Type", "application/x-git-receive-pack-request")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    // JGit drops the request as a protocol error (an empty answer) before any object is read.
    assertThat(response.body()).doesNotContain("ok " + escape);
    assertThat(git.run(upstreamRepo, "rev-parse", "--verify", "-q", escape).exit()).isNotZero();
    try (Stream<Path> everything = Files.walk(dir)) {
      assertThat(everything.filter(p -> p.getFileName().toString().contains("escaped"))).isEmpty();
    }
    assertThat(quarantined()).isEmpty();
    assertThat(decided("GitPush", AuditEventType.ALLOWED)).isEmpty();
  }

  /** A pack of no objects: header, count zero, and the SHA-1 of both. */
  static byte[] emptyPack() throws Exception {
    byte[] header = {'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 0, 0, 0};
    byte[] trailer = MessageDigest.getInstance("SHA-1").digest(header);
    ByteArrayOutputStream pack = new ByteArrayOutputStream();
    pack.write(header);
    pack.write(trailer);
    return pack.toByteArray();
  }

  @Test
  void anAtomicPushWithOneRefMovedUpstreamLandsNothing() throws Exception {
    GitCli.Run push = pushMainAndABranchWhileMainMovesUpstream("--atomic");

    assertThat(push.exit()).isNotZero();
    assertThat(push.output()).contains("moved meanwhile");
    assertThat(
            git.run(upstreamRepo, "rev-parse", "--verify", "-q", "refs/heads/feature/pair").exit())
        .isNotZero();
    assertThat(quarantined()).isEmpty();
  }

  @Test
  void theSamePushNotAtomicLandsTheGoodRefOnly() throws Exception {
    GitCli.Run push = pushMainAndABranchWhileMainMovesUpstream(null);

    assertThat(push.exit()).isNotZero();
    assertThat(push.output()).contains("moved meanwhile");
    assertThat(upstreamRef("refs/heads/feature/pair")).isNotEmpty();
    assertThat(mirrorHolds(upstreamRef("refs/heads/feature/pair"))).isTrue();
    assertThat(quarantined()).isEmpty();
  }

  /**
   * Pushes a fast-forward of main (held for approval) with a new branch; while a human decides,
   * main moves upstream, so only the branch could land.
   */
  GitCli.Run pushMainAndABranchWhileMainMovesUpstream(String flag) throws Exception {
    Path work = cloneShop("pair");
    commit(work, "one.txt");
    git.ok(work, "checkout", "-b", "feature/pair");
    commit(work, "two.txt");
    GitCli.Pending held =
        flag == null
            ? git.start(work, "push", "origin", "main", "feature/pair")
            : git.start(work, "push", flag, "origin", "main", "feature/pair");
    await().atMost(Duration.ofSeconds(30)).until(() -> approvals.asked().size() == 1);
    Path other = dir.resolve("other");
    git.ok(dir, "clone", upstream.authenticatedUrl("shop"), other.toString());
    String direct = commit(other, "direct.txt");
    git.ok(other, "push", "origin", "main");
    approvals.decide("team-a/approval-1", true, "lead", "");
    GitCli.Run push = held.await();
    assertThat(upstreamRef("main")).isEqualTo(direct);
    return push;
  }

  @Test
  void deletingABranchIsDenied() throws Exception {
    String before = upstreamRef("old-feature");
    Path work = cloneShop("delete");

    GitCli.Run push = git.run(work, "push", "origin", "--delete", "old-feature");

    assertThat(push.exit()).isNotZero();
    assertThat(push.output()).contains("Tollgate").contains("deleting remote refs is not allowed");
    assertThat(upstreamRef("old-feature")).isEqualTo(before);
  }

  @Test
  void aFastForwardToMainWaitsForApprovalAndAnotherCommitAsksAgain() throws Exception {
    Path work = cloneShop("approve");
    String first = commit(work, "one.txt");

    GitCli.Pending held = git.start(work, "push", "origin", "main");
    await().atMost(Duration.ofSeconds(30)).until(() -> approvals.asked().size() == 1);
    assertThat(held.process().isAlive()).isTrue();
    assertThat(upstreamRef("main")).isNotEqualTo(first);
    approvals.decide("team-a/approval-1", true, "lead", "");
    GitCli.Run approved = held.await();
    assertThat(approved.exit()).as(approved.output()).isZero();
    assertThat(upstreamRef("main")).isEqualTo(first);

    // Another commit is another push: a new approval, and while it waits the upstream moves.
    String second = commit(work, "two.txt");
    GitCli.Pending again = git.start(work, "push", "origin", "main");
    await().atMost(Duration.ofSeconds(30)).until(() -> approvals.asked().size() == 2);
    Path other = dir.resolve("other");
    git.ok(dir, "clone", upstream.authenticatedUrl("shop"), other.toString());
    String direct = commit(other, "direct.txt");
    git.ok(other, "push", "origin", "main");
    approvals.decide("team-a/approval-2", true, "lead", "");
    GitCli.Run refused = again.await();

    assertThat(refused.exit()).isNotZero();
    assertThat(refused.output()).contains("Tollgate").contains("moved meanwhile");
    assertThat(upstreamRef("main")).isEqualTo(direct).isNotEqualTo(second);
  }

  @Test
  void anUpstreamThatHangsIsAClearErrorWithinTheTimeout() throws Exception {
    long start = System.nanoTime();
    GitCli.Run clone = git.run(dir, "clone", gateway("down"), dir.resolve("down").toString());

    assertThat(clone.exit()).isNotZero();
    assertThat(clone.output()).contains("Tollgate: upstream unreachable");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(sidecar.auditEvents())
        .anySatisfy(
            e -> {
              assertThat(e.tool()).isEqualTo("GitFetch");
              assertThat(e.type()).isEqualTo(AuditEventType.FAILED);
            });
  }

  @Test
  void anUpstreamAnsweringGarbageIsAClearError() throws Exception {
    GitCli.Run clone = git.run(dir, "clone", gateway("junk"), dir.resolve("junk").toString());

    assertThat(clone.exit()).isNotZero();
    assertThat(clone.output()).contains("Tollgate: upstream unreachable");
  }

  @Test
  void aRemoteNotInTheBundleIs404() throws Exception {
    GitCli.Run clone = git.run(dir, "clone", gateway("elsewhere"), dir.resolve("x").toString());

    assertThat(clone.exit()).isNotZero();
    assertThat(clone.output()).contains("no git remote named 'elsewhere'");
    assertThat(decided("GitFetch", AuditEventType.DENIED))
        .anySatisfy(e -> assertThat(e.reasons()).contains("OutOfScope"));
  }
}
