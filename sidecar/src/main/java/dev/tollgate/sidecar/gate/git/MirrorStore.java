package dev.tollgate.sidecar.gate.git;

import dev.tollgate.engine.bundle.Bundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The bare mirrors, one per remote, created on first use under the mirror directory. A mirror is
 * named by the remote and a hash of its URL: a remote redefined to another upstream by a new bundle
 * gets a fresh mirror instead of another repository's refs.
 *
 * <p>Each mirror has a lock: fetching it, and moving a landed push's objects and refs into it, are
 * serialized, so two requests never interleave updates of one mirror.
 *
 * <p>Pushes are received into quarantines under {@code DIR/quarantine} ({@link PushQuarantine}), on
 * the mirrors' file system so that landed objects move by rename; what a previous process left
 * there is deleted when the store is created.
 */
final class MirrorStore implements AutoCloseable {

  /** An open mirror, its lock, and where pushes to it are received. */
  record Mirror(Repository repository, ReentrantLock lock, Path quarantines) {

    /** A fresh quarantine for one push; the caller closes it, which deletes it. */
    PushQuarantine quarantine() throws IOException {
      return PushQuarantine.open(quarantines, repository);
    }
  }

  private final Path dir;
  private final Path quarantines;
  private final Map<String, Mirror> open = new HashMap<>();

  MirrorStore(Path dir) {
    this.dir = dir;
    this.quarantines = dir.resolve("quarantine");
    PushQuarantine.clearStale(quarantines);
  }

  /**
   * The remote's mirror, created (bare) when it does not exist yet.
   *
   * @throws IOException naming the directory when it cannot be created or written
   */
  synchronized Mirror open(Bundle.GitRemote remote) throws IOException {
    String key = remote.name() + "-" + urlHash(remote.url());
    Mirror mirror = open.get(key);
    if (mirror != null) {
      return mirror;
    }
    Path path = dir.resolve(key + ".git");
    try {
      Files.createDirectories(dir);
      if (!Files.isWritable(dir)) {
        throw new IOException("not writable");
      }
      Repository repository =
          new FileRepositoryBuilder().setGitDir(path.toFile()).setBare().build();
      if (!repository.getObjectDatabase().exists()) {
        repository.create(true);
        StoredConfig config = repository.getConfig();
        // The mirror's refs are the upstream's: nothing but the gateway moves them, and a gc run
        // in the middle of a request would only cost time.
        config.setBoolean(ConfigConstants.CONFIG_RECEIVE_SECTION, null, "autogc", false);
        config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, "auto", 0);
        config.save();
      }
      mirror = new Mirror(repository, new ReentrantLock(), quarantines);
      open.put(key, mirror);
      return mirror;
    } catch (IOException e) {
      throw new IOException(
          "the git mirror directory " + dir + " cannot be used (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public synchronized void close() {
    open.values().forEach(m -> m.repository().close());
    open.clear();
  }

  private static String urlHash(String url) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
