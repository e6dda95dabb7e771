package dev.tollgate.sidecar.gate.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.testsupport.GitHttpUpstream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RemoteRefUpdate.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's own receive-pack client against git's http-backend: the pack goes upstream byte for
 * byte, deletes go without a pack, refusals come back per ref, and an upstream that cannot do what
 * the push needs, or is no git server, is a clear error.
 */
@Timeout(60)
class UpstreamReceivePackTest {

  static final String BASIC =
      "Basic "
          + Base64.getEncoder()
              .encodeToString(
                  (GitHttpUpstream.USER + ":" + GitHttpUpstream.TOKEN)
                      .getBytes(StandardCharsets.UTF_8));

  @TempDir Path dir;
  GitCli git;
  GitHttpUpstream upstream;
  Path upstreamRepo;
  Path seed;
  String main;
  HttpServer fake;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(GitHttpUpstream.available(), "git http-backend is installed");
    git = new GitCli(Files.createDirectories(dir.resolve("home")));
    upstream = new GitHttpUpstream(Files.createDirectories(dir.resolve("upstream")));
    upstreamRepo = upstream.create("shop");
    // Every pack is kept as received (no unpacking into loose objects), so it can be compared.
    git.ok(upstreamRepo, "config", "receive.unpackLimit", "1");
    seed = Files.createDirectories(dir.resolve("seed"));
    git.ok(seed, "init", "-b", "main");
    commit("README.md");
    git.ok(seed, "branch", "old-feature");
    git.ok(seed, "push", upstream.authenticatedUrl("shop"), "main", "old-feature");
    main = git.ok(seed, "rev-parse", "main");
  }

  @AfterEach
  void stop() throws Exception {
    if (upstream != null) {
      upstream.close();
    }
    if (fake != null) {
      fake.stop(0);
    }
  }

  String commit(String file) throws Exception {
    Files.writeString(seed.resolve(file), file + "\n");
    git.ok(seed, "add", file);
    git.ok(seed, "commit", "-m", "add " + file);
    return git.ok(seed, "rev-parse", "HEAD");
  }

  /** The objects of {@code revs} as git packs them, in a file. */
  Path pack(String revs) throws Exception {
    Path pack = dir.resolve("pushed-" + System.nanoTime() + ".pack");
    Process process =
        new ProcessBuilder("git", "pack-objects", "--revs", "--stdout")
            .directory(seed.toFile())
            .redirectOutput(pack.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    process.getOutputStream().write((revs + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    assertThat(process.waitFor()).isZero();
    return pack;
  }

  UpstreamReceivePack client(String url) {
    return new UpstreamReceivePack(url, BASIC, null, Duration.ofSeconds(10));
  }

  String upstreamRef(String ref) throws Exception {
    GitCli.Run run = git.run(upstreamRepo, "rev-parse", "--verify", "-q", ref);
    return run.exit() == 0 ? run.output().strip() : null;
  }

  List<Path> upstreamPacks() throws Exception {
    try (Stream<Path> files = Files.list(upstreamRepo.resolve("objects/pack"))) {
      return files.filter(p -> p.toString().endsWith(".pack")).toList();
    }
  }

  @Test
  void thePackGoesUpstreamByteForByteAndTheRefsMove() throws Exception {
    git.ok(seed, "checkout", "-b", "feature/cart");
    commit("cart.txt");
    String head = commit("more.txt");
    Path pack = pack(head + "\n^" + main);
    List<Path> before = upstreamPacks();

    Map<String, UpstreamReceivePack.Result> results =
        client(upstream.url("shop"))
            .push(
                List.of(
                    new UpstreamReceivePack.Command(
                        "refs/heads/feature/cart", ObjectId.zeroId(), ObjectId.fromString(head))),
                pack,
                false);

    assertThat(results.get("refs/heads/feature/cart").status()).isEqualTo(Status.OK);
    assertThat(upstreamRef("refs/heads/feature/cart")).isEqualTo(head);
    assertThat(git.ok(upstreamRepo, "fsck", "--no-dangling")).doesNotContain("missing");
    List<Path> received = upstreamPacks().stream().filter(p -> !before.contains(p)).toList();
    assertThat(received).hasSize(1);
    assertThat(Files.mismatch(received.get(0), pack)).isEqualTo(-1L);
  }

  @Test
  void anAtomicPushOfTwoRefsLandsBoth() throws Exception {
    String head = commit("two.txt");
    Path pack = pack(head + "\n^" + main);

    Map<String, UpstreamReceivePack.Result> results =
        client(upstream.url("shop"))
            .push(
                List.of(
                    new UpstreamReceivePack.Command(
                        "refs/heads/main", ObjectId.fromString(main), ObjectId.fromString(head)),
                    new UpstreamReceivePack.Command(
                        "refs/heads/copy", ObjectId.zeroId(), ObjectId.fromString(head))),
                pack,
                true);

    assertThat(results.values()).allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.OK));
    assertThat(upstreamRef("refs/heads/main")).isEqualTo(head);
    assertThat(upstreamRef("refs/heads/copy")).isEqualTo(head);
  }

  @Test
  void aDeleteGoesWithoutAPackAndANewRefAtAKnownCommitWithAnEmptyOne() throws Exception {
    Map<String, UpstreamReceivePack.Result> results =
        client(upstream.url("shop"))
            .push(
                List.of(
                    new UpstreamReceivePack.Command(
                        "refs/heads/old-feature", ObjectId.fromString(main), ObjectId.zeroId())),
                null,
                false);

    assertThat(results.get("refs/heads/old-feature").status()).isEqualTo(Status.OK);
    assertThat(upstreamRef("refs/heads/old-feature")).isNull();

    results =
        client(upstream.url("shop"))
            .push(
                List.of(
                    new UpstreamReceivePack.Command(
                        "refs/heads/again", ObjectId.zeroId(), ObjectId.fromString(main))),
                null,
                false);

    assertThat(results.get("refs/heads/again").status()).isEqualTo(Status.OK);
    assertThat(upstreamRef("refs/heads/again")).isEqualTo(main);
  }

  @Test
  void aRefNotAtTheExpectedOldIdIsNotOverwritten() throws Exception {
    String head = commit("two.txt");
    Path pack = pack(head + "\n^" + main);
    ObjectId stale = ObjectId.fromString("1234567890123456789012345678901234567890");

    Map<String, UpstreamReceivePack.Result> results =
        client(upstream.url("shop"))
            .push(
                List.of(
                    new UpstreamReceivePack.Command(
                        "refs/heads/main", stale, ObjectId.fromString(head))),
                pack,
                false);

    assertThat(results.get("refs/heads/main").status()).isEqualTo(Status.REJECTED_REMOTE_CHANGED);
    assertThat(upstreamRef("refs/heads/main")).isEqualTo(main);
  }

  @Test
  void aRefMovedBetweenTheAdvertisementAndTheUpdateIsRefusedByTheUpstream() throws Exception {
    // The upstream's hook moves main after the advertisement: its compare-and-swap refuses.
    String other = commit("other.txt");
    git.ok(seed, "push", upstream.authenticatedUrl("shop"), "HEAD:refs/heads/side");
    git.ok(seed, "reset", "--hard", main);
    String head = commit("two.txt");
    Path pack = pack(head + "\n^" + main);
    hook(
        "#!/bin/sh\nunset GIT_QUARANTINE_PATH\ngit update-ref refs/heads/main "
            + other
            + "\nexit 0\n");

    Map<String, UpstreamReceivePack.Result> results =
        client(upstream.url("shop"))
            .push(
                List.of(
                    new UpstreamReceivePack.Command(
                        "refs/heads/main", ObjectId.fromString(main), ObjectId.fromString(head))),
                pack,
                false);

    UpstreamReceivePack.Result result = results.get("refs/heads/main");
    assertThat(result.status()).as(result.message()).isEqualTo(Status.REJECTED_REMOTE_CHANGED);
    assertThat(upstreamRef("refs/heads/main")).isEqualTo(other);
  }

  @Test
  void anUpstreamHookRefusingIsAnNgWithItsReason() throws Exception {
    String head = commit("two.txt");
    Path pack = pack(head + "\n^" + main);
    hook("#!/bin/sh\necho protected >&2\nexit 1\n");

    Map<String, UpstreamReceivePack.Result> results =
        client(upstream.url("shop"))
            .push(
                List.of(
                    new UpstreamReceivePack.Command(
                        "refs/heads/main", ObjectId.fromString(main), ObjectId.fromString(head))),
                pack,
                false);

    UpstreamReceivePack.Result result = results.get("refs/heads/main");
    assertThat(result.status()).isEqualTo(Status.REJECTED_OTHER_REASON);
    assertThat(result.message()).contains("pre-receive hook declined");
    assertThat(upstreamRef("refs/heads/main")).isEqualTo(main);
  }

  void hook(String script) throws Exception {
    Path hook = upstreamRepo.resolve("hooks/pre-receive");
    Files.createDirectories(hook.getParent());
    Files.writeString(hook, script);
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void anAtomicPushToAnUpstreamWithoutAtomicIsRefusedClearly() throws Exception {
    String url = fake(advertisement("report-status side-band-64k"));

    assertThatThrownBy(() -> client(url).push(List.of(delete()), null, true))
        .isInstanceOf(UpstreamGitException.class)
        .hasMessageContaining("does not offer atomic pushes");
  }

  @Test
  void anUpstreamAnsweringGarbageOrRefusingTheCredentialIsAClearError() throws Exception {
    String url = fake(null);

    assertThatThrownBy(() -> client(url).push(List.of(delete()), null, false))
        .isInstanceOf(UpstreamGitException.class)
        .hasMessageContaining("not a git smart HTTP server");
    assertThatThrownBy(
            () ->
                new UpstreamReceivePack(
                        upstream.url("shop"), "Basic bm8=", null, Duration.ofSeconds(5))
                    .push(List.of(delete()), null, false))
        .isInstanceOf(UpstreamGitException.class)
        .hasMessageContaining("HTTP 401");
  }

  UpstreamReceivePack.Command delete() {
    return new UpstreamReceivePack.Command(
        "refs/heads/old-feature", ObjectId.fromString(main), ObjectId.zeroId());
  }

  /** A receive-pack advertisement of main with these capabilities. */
  byte[] advertisement(String capabilities) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PacketLineOut packets = new PacketLineOut(out);
    packets.writeString("# service=git-receive-pack\n");
    packets.end();
    packets.writeString(main + " refs/heads/old-feature\0" + capabilities + "\n");
    packets.end();
    return out.toByteArray();
  }

  /** A server answering every request with {@code body} as an advertisement, or HTML if null. */
  String fake(byte[] body) throws Exception {
    fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    fake.createContext(
        "/",
        exchange -> {
          byte[] answer =
              body == null ? "<html>hello</html>".getBytes(StandardCharsets.UTF_8) : body;
          exchange
              .getResponseHeaders()
              .set(
                  "Content-Type",
                  body == null ? "text/html" : "application/x-git-receive-pack-advertisement");
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    fake.start();
    return "http://127.0.0.1:" + fake.getAddress().getPort() + "/shop.git";
  }
}
