package dev.tollgate.sidecar.gate.git;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Where one push's objects are received: a temporary bare repository whose object database falls
 * back to the mirror's (an alternate), so the push can be read, judged and forwarded with the
 * upstream's history, while nothing it sent is in the mirror. Only when the push landed upstream
 * are its objects moved into the mirror ({@link #migrate}); a refused, failed or abandoned push
 * leaves nothing behind once {@link #close} deleted the directory.
 *
 * <p>The directory name is random and never derived from the request, so nothing a client sends
 * chooses where objects are written.
 */
final class PushQuarantine implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PushQuarantine.class.getName());

  /** Pack files as JGit and git name them: the name is the pack's hash, the kind its extension. */
  private static final Pattern PACK_FILE = Pattern.compile("pack-[0-9a-f]{40,64}\\.[a-z]+");

  private static final Pattern LOOSE_DIR = Pattern.compile("[0-9a-f]{2}");
  private static final Pattern LOOSE_FILE = Pattern.compile("[0-9a-f]{38,62}");

  private final Path dir;
  private final Repository repository;
  private boolean closed;

  private PushQuarantine(Path dir, Repository repository) {
    this.dir = dir;
    this.repository = repository;
  }

  /**
   * A fresh quarantine under {@code root} for a push to {@code mirror}.
   *
   * @throws IOException when it cannot be created (the directory is then already removed)
   */
  static PushQuarantine open(Path root, Repository mirror) throws IOException {
    Files.createDirectories(root);
    Path dir = root.resolve(UUID.randomUUID() + ".git");
    Files.createDirectory(dir);
    try {
      Repository repository =
          new FileRepositoryBuilder()
              .setGitDir(dir.toFile())
              .setBare()
              .addAlternateObjectDirectory(objects(mirror))
              .build();
      repository.create(true);
      StoredConfig config = repository.getConfig();
      // Received objects go into a pack that is moved as it is; nothing may repack in between.
      config.setBoolean(ConfigConstants.CONFIG_RECEIVE_SECTION, null, "autogc", false);
      config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, "auto", 0);
      config.save();
      return new PushQuarantine(dir, repository);
    } catch (IOException | RuntimeException e) {
      delete(dir);
      throw e;
    }
  }

  /** Deletes whatever a previous process left under {@code root} (a crash mid-push). */
  static void clearStale(Path root) {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(root)) {
      for (Path entry : stale) {
        delete(entry);
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "stale push quarantines under " + root + " not removed", e);
    }
  }

  /** The quarantine's repository: its own objects, the mirror's as alternate, no refs. */
  Repository repository() {
    return repository;
  }

  /**
   * The pack files the push left (JGit completes a thin pack with its bases: each stands alone).
   */
  List<Path> packs() throws IOException {
    List<Path> packs = new ArrayList<>();
    for (Path file : list(objects(repository).toPath().resolve("pack"))) {
      String name = file.getFileName().toString();
      if (PACK_FILE.matcher(name).matches() && name.endsWith(".pack")) {
        packs.add(file);
      }
    }
    return packs;
  }

  /** Whether the push left loose objects (JGit's receive packs everything; a safeguard). */
  boolean hasLoose() throws IOException {
    for (Path fanout : list(objects(repository).toPath())) {
      if (LOOSE_DIR.matcher(fanout.getFileName().toString()).matches()
          && Files.isDirectory(fanout, LinkOption.NOFOLLOW_LINKS)
          && !list(fanout).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Moves the received objects into the mirror's object database; the caller holds the mirror's
   * lock. Each pack's index moves last: git and JGit find a pack by its index, so a reader never
   * sees an index whose pack is not there yet. A pack the mirror already has (same name, same
   * objects) stays where it is; {@code .keep} files belong to the receive and are not moved.
   */
  void migrate(Repository mirror) throws IOException {
    ObjectDirectory target = (ObjectDirectory) mirror.getObjectDatabase();
    File objects = objects(repository);
    migrateLoose(objects.toPath(), target.getDirectory().toPath());
    Path packs = objects.toPath().resolve("pack");
    Path targetPacks = target.getPackDirectory().toPath();
    Files.createDirectories(targetPacks);
    List<Path> indexes = new ArrayList<>();
    List<Path> others = new ArrayList<>();
    for (Path file : list(packs)) {
      String name = file.getFileName().toString();
      if (!PACK_FILE.matcher(name).matches() || name.endsWith(".keep")) {
        continue;
      }
      if (name.endsWith(".idx")) {
        indexes.add(file);
      } else if (name.endsWith(".pack")) {
        others.add(0, file);
      } else {
        others.add(file);
      }
    }
    for (Path file : others) {
      move(file, targetPacks);
    }
    for (Path index : indexes) {
      if (move(index, targetPacks)) {
        String pack = index.getFileName().toString().replaceFirst("\\.idx$", ".pack");
        // Registers the pack at once instead of when a lookup misses and rescans the directory.
        target.openPack(targetPacks.resolve(pack).toFile());
      }
    }
  }

  /** Closes the repository and deletes the quarantine with all it still holds; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    repository.close();
    delete(dir);
  }

  private static void migrateLoose(Path objects, Path target) throws IOException {
    for (Path fanout : list(objects)) {
      if (!LOOSE_DIR.matcher(fanout.getFileName().toString()).matches()
          || !Files.isDirectory(fanout, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Path targetFanout = target.resolve(fanout.getFileName().toString());
      for (Path object : list(fanout)) {
        if (LOOSE_FILE.matcher(object.getFileName().toString()).matches()) {
          Files.createDirectories(targetFanout);
          move(object, targetFanout);
        }
      }
    }
  }

  /** Moves a regular file into {@code targetDir}; false when the target already had it. */
  private static boolean move(Path file, Path targetDir) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    Path target = targetDir.resolve(file.getFileName().toString());
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  private static File objects(Repository repository) {
    return ((ObjectDirectory) repository.getObjectDatabase()).getDirectory();
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.sorted().toList();
    }
  }

  /** Deletes a tree without following links out of it. */
  private static void delete(Path path) {
    try (Stream<Path> tree = Files.walk(path)) {
      for (Path entry : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(entry);
      }
    } catch (NoSuchFileException e) {
      // already gone
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "push quarantine " + path + " not removed", e);
    }
  }
}
