package dev.tollgate.sidecar.gate.git;

import dev.tollgate.api.SidecarContract.Paths;
import dev.tollgate.api.SidecarContract.SidecarEnv;
import dev.tollgate.runtime.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The git gateway's settings ({@code /git/<remote>}), read and validated with the sidecar's other
 * settings: a bad one stops the start, named by flag and variable.
 *
 * @param mirrorDir where the bare mirror of each remote lives ({@code DIR/<remote>.git}); created
 *     on first use, and a directory that cannot be written is a clear git error then
 * @param credentialsDir where each remote's upstream token is mounted: {@code DIR/<remote>/token}
 *     (the layout of the MCP credentials)
 * @param upstreamTimeout connecting to, and each read from, the upstream (fetch and push): an
 *     upstream down or silent for longer is an error, never a hang
 * @param maxPackBytes a pushed pack above this is refused while it is received (it streams to disk,
 *     never to memory)
 * @param threads the gateway's own worker threads: a push held for approval holds one
 * @param detectSha1Collisions {@code --git-sha1 sha1dc} (the default): the object ids of what is
 *     received, fetched and served are computed with JGit's collision-detecting SHA-1, as git and
 *     GitHub compute them. {@code jdk}: with the JDK's SHA-1 (CPU intrinsics), without collision
 *     detection: hashing becomes several times cheaper (with sha1dc it is a large share of the
 *     gateway's CPU on large pushes and fetches). What {@code jdk} gives up: an agent able to
 *     compute a SHA-1 collision (a chosen-prefix collision cost some 45,000 USD of GPU time in
 *     2020) could push an object whose id the gateway judges as one content while it is another,
 *     e.g. a fast-forward whose commit the approver reviewed by id. What still stands: JGit
 *     compares the bytes of every received object whose id the mirror already has (a collision with
 *     the upstream's history is refused as such); the pushed objects reach the upstream only
 *     through its own index-pack, whose sha1dc refuses objects carrying the known collision
 *     attacks, so the push fails whole and its quarantine, never moved into the mirror, is deleted;
 *     the mirror only ever holds objects the upstream accepted. Choose {@code jdk} only for an
 *     upstream that hashes with sha1dc (git since 2.13, GitHub, GitLab, Gitea).
 */
public record GitSettings(
    Path mirrorDir,
    Path credentialsDir,
    Duration upstreamTimeout,
    long maxPackBytes,
    int threads,
    boolean detectSha1Collisions) {

  /** {@link #detectSha1Collisions()}: collision-detecting SHA-1, the default. */
  public static final String SHA1DC = "sha1dc";

  /** The JDK's SHA-1, without collision detection. */
  public static final String JDK_SHA1 = "jdk";

  /** The flags, each overriding its variable. */
  public static final Map<String, String> FLAGS =
      Map.of(
          "--git-mirror-dir", SidecarEnv.GIT_MIRROR_DIR,
          "--git-credentials-dir", SidecarEnv.GIT_CREDENTIALS_DIR,
          "--git-upstream-timeout-ms", SidecarEnv.GIT_UPSTREAM_TIMEOUT_MS,
          "--git-max-pack-bytes", SidecarEnv.GIT_MAX_PACK_BYTES,
          "--git-threads", SidecarEnv.GIT_THREADS,
          "--git-sha1", SidecarEnv.GIT_SHA1);

  private static final long DEFAULT_TIMEOUT_MS = 30_000;
  private static final long DEFAULT_MAX_PACK = 512L << 20;

  /**
   * Reads and validates; problems go to {@code settings}, with defaults returned in their place.
   */
  public static GitSettings read(Settings settings) {
    Path mirrors = absolute(settings, SidecarEnv.GIT_MIRROR_DIR, Paths.GIT_MIRROR_DIR);
    Path credentials =
        absolute(settings, SidecarEnv.GIT_CREDENTIALS_DIR, Paths.GIT_CREDENTIALS_DIR);
    // JGit counts its transport timeout in whole seconds.
    long timeoutMs =
        settings.number(SidecarEnv.GIT_UPSTREAM_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, 1_000, 3_600_000);
    long maxPack =
        settings.number(SidecarEnv.GIT_MAX_PACK_BYTES, DEFAULT_MAX_PACK, 1 << 20, 64L << 30);
    int threads = (int) settings.number(SidecarEnv.GIT_THREADS, 16, 1, 1_024);
    String sha1 = settings.choice(SidecarEnv.GIT_SHA1, SHA1DC, List.of(SHA1DC, JDK_SHA1));
    return new GitSettings(
        mirrors, credentials, Duration.ofMillis(timeoutMs), maxPack, threads, SHA1DC.equals(sha1));
  }

  /** The upstream timeout in JGit's unit, seconds, at least one. */
  int timeoutSeconds() {
    return (int) Math.max(1, upstreamTimeout.toSeconds());
  }

  private static Path absolute(Settings settings, String variable, String fallback) {
    String dir = settings.get(variable, fallback);
    if (!dir.startsWith("/")) {
      settings.problem(variable, "must be an absolute path, got '" + dir + "'");
      dir = fallback;
    }
    return Path.of(dir);
  }
}
