package dev.tollgate.sidecar.gate.git;

import dev.tollgate.testsupport.GitHttpUpstream;
import dev.tollgate.testsupport.SidecarJvm;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Clone and push of a repository of realistic size (5,000 commits, ~50 MB of incompressible
 * content) through the git gateway of the real sidecar jar, in its own JVM with the injected flags,
 * against the same done directly to the authenticated upstream (git's http-backend on loopback);
 * and the sidecar's memory peak (VmHWM) while it does. Not a test: {@code
 * sidecar/bench/git-gateway.sh} runs it.
 */
public final class GitGatewayBench {

  private static final int COMMITS = Integer.getInteger("commits", 5_000);
  private static final int BLOB_BYTES = Integer.getInteger("blobBytes", 10_240);
  private static final int PUSH_COMMITS = Integer.getInteger("pushCommits", 5_000);

  private GitGatewayBench() {}

  public static void main(String[] args) throws Exception {
    Path repoRoot = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
    Path dir = Files.createTempDirectory("git-gateway-bench");
    try {
      run(repoRoot, dir);
    } finally {
      // The repositories, clones and mirror weigh close to a GB: never left behind.
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> tree = Files.walk(dir)) {
      for (Path entry : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(entry);
      }
    }
  }

  private static void run(Path repoRoot, Path dir) throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    GitCli git = new GitCli(home);
    try (GitHttpUpstream upstream =
        new GitHttpUpstream(Files.createDirectories(dir.resolve("upstream")))) {
      upstream.create("shop");
      Path seed = Files.createDirectories(dir.resolve("seed"));
      git.ok(seed, "init", "-q", "-b", "main");
      long t0 = System.nanoTime();
      fastImport(seed, "main", COMMITS, 0);
      git.ok(seed, "push", "-q", upstream.authenticatedUrl("shop"), "main");
      System.out.printf(
          "repository: %d commits, %s of packed objects (made and pushed in %d s)%n",
          COMMITS,
          git.ok(seed, "count-objects", "-vH")
              .lines()
              .filter(l -> l.startsWith("size-pack"))
              .findFirst()
              .orElse("?"),
          (System.nanoTime() - t0) / 1_000_000_000);

      Path credentials = Files.createDirectories(dir.resolve("credentials/shop"));
      Files.writeString(credentials.resolve("token"), GitHttpUpstream.TOKEN + "\n");
      Path bundle = dir.resolve("bundle.json");
      Files.writeString(
          bundle,
          GitGatewayFixture.bundle(
              GitGatewayFixture.POLICIES,
              upstream.url("shop"),
              "http://127.0.0.1:9/down",
              "http://127.0.0.1:9/junk"));
      int port;
      try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = free.getLocalPort();
      }
      List<String> command = new ArrayList<>(SidecarJvm.command(repoRoot));
      // -Dsidecar.jvm="...": more flags after the injected ones (a later flag wins), to compare.
      String extra = System.getProperty("sidecar.jvm", "").strip();
      if (!extra.isEmpty()) {
        command.addAll(List.of(extra.split("\\s+")));
      }
      command.addAll(
          List.of(
              "-jar",
              repoRoot.resolve("sidecar/target/tollgate-sidecar.jar").toString(),
              "--bundle",
              bundle.toString(),
              "--listen",
              "127.0.0.1:" + port,
              "--events",
              "off",
              "--approvals",
              "off",
              "--pod",
              "bench",
              "--namespace",
              "team-a",
              "--git-mirror-dir",
              dir.resolve("mirrors").toString(),
              "--git-credentials-dir",
              dir.resolve("credentials").toString()));
      Process sidecar =
          new ProcessBuilder(command)
              .redirectOutput(dir.resolve("sidecar.out").toFile())
              .redirectError(dir.resolve("sidecar.err").toFile())
              .start();
      try {
        String gateway = "http://127.0.0.1:" + port + "/git/shop";
        awaitReady(git, dir, gateway);
        long idle = kib(sidecar.pid(), "VmRSS");
        double[] direct = new double[3];
        double[] gated = new double[3];
        double first = clone(git, dir, gateway, "first");
        for (int i = 0; i < 3; i++) {
          direct[i] = clone(git, dir, upstream.authenticatedUrl("shop"), "direct" + i);
          gated[i] = clone(git, dir, gateway, "gated" + i);
        }
        System.out.printf(
            "clone: direct %.2f s, through the gateway %.2f s (%.2fx; median of 3; the first, filling the mirror: %.2f s)%n",
            median(direct), median(gated), median(gated) / median(direct), first);

        // A push of a new branch as large as the repository: a pack of ~50 MB through the gateway.
        Path work = dir.resolve("gated0");
        fastImport(work, "big-direct", PUSH_COMMITS, 1);
        fastImport(work, "big-gated", PUSH_COMMITS, 2);
        long start = System.nanoTime();
        git.ok(work, "push", "-q", upstream.authenticatedUrl("shop"), "big-direct");
        double pushDirect = (System.nanoTime() - start) / 1e9;
        // Untimed: brings the mirror up to date with the direct push's 48 MB, which the timed push
        // would otherwise fetch into the mirror first (as the clones, the push is measured warm).
        start = System.nanoTime();
        git.ok(work, "ls-remote", gateway);
        double catchUp = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        git.ok(work, "push", "-q", gateway, "big-gated");
        double pushGated = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "push of a new branch with %d commits (~%d MB new content): direct %.2f s, through the gateway %.2f s (%.2fx; before it, the mirror caught up with the direct push in %.2f s)%n",
            PUSH_COMMITS,
            (long) PUSH_COMMITS * BLOB_BYTES >> 20,
            pushDirect,
            pushGated,
            pushGated / pushDirect,
            catchUp);
        System.out.printf(
            "sidecar memory: RSS %d MiB when ready, peak (VmHWM) %d MiB after the clones and the push (heap capped at -Xmx64m)%n",
            idle >> 10, kib(sidecar.pid(), "VmHWM") >> 10);
      } finally {
        sidecar.destroy();
        if (!sidecar.waitFor(10, TimeUnit.SECONDS)) {
          sidecar.destroyForcibly();
        }
      }
    }
  }

  /** Commits COUNT changes of incompressible content onto BRANCH of the repository in DIR. */
  private static void fastImport(Path dir, String branch, int count, long seed) throws Exception {
    Process process =
        new ProcessBuilder("git", "fast-import", "--quiet")
            .directory(dir.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    Random random = new Random(seed);
    byte[] blob = new byte[BLOB_BYTES];
    try (OutputStream out = new BufferedOutputStream(process.getOutputStream(), 1 << 16)) {
      String parent = currentHead(dir, branch);
      for (int i = 0; i < count; i++) {
        random.nextBytes(blob);
        String message = "change " + i + "\n";
        write(out, "commit refs/heads/" + branch + "\n");
        write(out, "committer Agent <agent@example.test> " + (1_700_000_000L + i) + " +0000\n");
        write(out, "data " + message.length() + "\n" + message);
        if (i == 0 && parent != null) {
          write(out, "from " + parent + "\n");
        }
        write(out, "M 644 inline data/f" + (i % 500) + ".bin\ndata " + blob.length + "\n");
        out.write(blob);
        write(out, "\n");
      }
    }
    if (process.waitFor() != 0) {
      throw new IOException("git fast-import failed");
    }
  }

  private static String currentHead(Path dir, String branch) throws Exception {
    Process process =
        new ProcessBuilder("git", "rev-parse", "--verify", "-q", "HEAD")
            .directory(dir.toFile())
            .start();
    String out =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return process.waitFor() == 0 && !out.isEmpty() ? out : null;
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }

  private static double clone(GitCli git, Path dir, String url, String name) throws Exception {
    long start = System.nanoTime();
    git.ok(dir, "clone", "-q", url, name);
    return (System.nanoTime() - start) / 1e9;
  }

  private static void awaitReady(GitCli git, Path dir, String gateway) throws Exception {
    for (int i = 0; i < 200; i++) {
      if (git.run(dir, "ls-remote", gateway).exit() == 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "the sidecar's gateway did not answer: " + Files.readString(dir.resolve("sidecar.err")));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static long kib(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
