package dev.tollgate.sidecar.gate.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.sidecar.SidecarFixture;
import dev.tollgate.sidecar.audit.AuditEventType;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * Pushes through the git gateway: decided on what they change, quarantined until they land,
 * forwarded with compare-and-swap.
 */
class GitPushTest extends GitGatewayFixture {

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
}
