package dev.tollgate.sidecar.gate.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.testsupport.GitHttpUpstream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RemoteRefUpdate.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which way a push's objects go upstream: the quarantine's one pack as it is, or, when the push
 * left loose objects (or several packs), packed anew by JGit's transport. Either lands.
 */
@Timeout(60)
class UpstreamGitPushTest {

  @TempDir Path dir;
  GitCli git;
  GitHttpUpstream upstream;
  Path upstreamRepo;
  Repository mirror;
  String main;
  UpstreamGit upstreamGit;
  Bundle.GitRemote remote;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(GitHttpUpstream.available(), "git http-backend is installed");
    git = new GitCli(Files.createDirectories(dir.resolve("home")));
    upstream = new GitHttpUpstream(Files.createDirectories(dir.resolve("upstream")));
    upstreamRepo = upstream.create("shop");
    Path seed = Files.createDirectories(dir.resolve("seed"));
    git.ok(seed, "init", "-b", "main");
    Files.writeString(seed.resolve("README.md"), "shop\n");
    git.ok(seed, "add", ".");
    git.ok(seed, "commit", "-m", "first");
    git.ok(seed, "push", upstream.authenticatedUrl("shop"), "main");
    main = git.ok(seed, "rev-parse", "main");
    git.ok(dir, "clone", "-q", "--bare", upstreamRepo.toString(), dir.resolve("m.git").toString());
    mirror = new FileRepositoryBuilder().setGitDir(dir.resolve("m.git").toFile()).setBare().build();
    Path credentials = Files.createDirectories(dir.resolve("credentials/shop"));
    Files.writeString(credentials.resolve("token"), GitHttpUpstream.TOKEN + "\n");
    upstreamGit =
        new UpstreamGit(
            new GitSettings(
                dir.resolve("mirrors"),
                dir.resolve("credentials"),
                Duration.ofSeconds(10),
                1 << 20,
                4,
                true));
    remote =
        new Bundle.GitRemote(
            "shop", upstream.url("shop"), new Bundle.SecretRef("gh", "token"), "repos");
  }

  @AfterEach
  void stop() throws Exception {
    if (mirror != null) {
      mirror.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  /** A commit on main, its objects written loose into the quarantine. */
  ObjectId looseCommit(PushQuarantine quarantine) throws Exception {
    try (ObjectInserter inserter = quarantine.repository().newObjectInserter()) {
      ObjectId blob =
          inserter.insert(Constants.OBJ_BLOB, "loose\n".getBytes(StandardCharsets.UTF_8));
      TreeFormatter tree = new TreeFormatter();
      tree.append("loose.txt", FileMode.REGULAR_FILE, blob);
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(inserter.insert(tree));
      commit.setParentId(ObjectId.fromString(main));
      PersonIdent agent = new PersonIdent("Agent", "agent@example.test");
      commit.setAuthor(agent);
      commit.setCommitter(agent);
      commit.setMessage("loose");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    }
  }

  @Test
  void loosePushedObjectsArePackedAnewAndLand() throws Exception {
    try (PushQuarantine quarantine = PushQuarantine.open(dir.resolve("q"), mirror)) {
      ObjectId commit = looseCommit(quarantine);
      assertThat(quarantine.hasLoose()).isTrue();
      assertThat(quarantine.packs()).isEmpty();

      Map<String, UpstreamGit.Pushed> pushed =
          upstreamGit.push(
              quarantine,
              remote,
              List.of(
                  new RefChange("refs/heads/loose", RefChange.CREATE, ObjectId.zeroId(), commit)),
              false);

      assertThat(pushed.get("refs/heads/loose").status()).isEqualTo(Status.OK);
      assertThat(git.ok(upstreamRepo, "rev-parse", "refs/heads/loose")).isEqualTo(commit.name());
      assertThat(git.ok(upstreamRepo, "fsck", "--no-dangling")).doesNotContain("missing");
    }
  }

  @Test
  void aPushWithoutObjectsForwardsAnEmptyPack() throws Exception {
    try (PushQuarantine quarantine = PushQuarantine.open(dir.resolve("q"), mirror)) {
      assertThat(quarantine.hasLoose()).isFalse();

      Map<String, UpstreamGit.Pushed> pushed =
          upstreamGit.push(
              quarantine,
              remote,
              List.of(
                  new RefChange(
                      "refs/heads/copy",
                      RefChange.CREATE,
                      ObjectId.zeroId(),
                      ObjectId.fromString(main))),
              false);

      assertThat(pushed.get("refs/heads/copy").status()).isEqualTo(Status.OK);
      assertThat(git.ok(upstreamRepo, "rev-parse", "refs/heads/copy")).isEqualTo(main);
    }
  }
}
