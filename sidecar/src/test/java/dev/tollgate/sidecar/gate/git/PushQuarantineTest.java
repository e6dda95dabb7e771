package dev.tollgate.sidecar.gate.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.internal.storage.file.PackInserter;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quarantine on its own, with JGit repositories on disk and no gateway. */
class PushQuarantineTest {

  @TempDir Path dir;
  Repository mirror;
  Path root;

  @BeforeEach
  void mirror() throws Exception {
    mirror = new FileRepositoryBuilder().setGitDir(dir.resolve("m.git").toFile()).setBare().build();
    mirror.create(true);
    root = dir.resolve("quarantine");
  }

  @AfterEach
  void close() {
    mirror.close();
  }

  static ObjectId insert(Repository repository, String content) throws Exception {
    try (ObjectInserter inserter = repository.newObjectInserter()) {
      ObjectId id = inserter.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
      inserter.flush();
      return id;
    }
  }

  static ObjectId insertPacked(Repository repository, String content) throws Exception {
    try (PackInserter inserter =
        ((ObjectDirectory) repository.getObjectDatabase()).newPackInserter()) {
      // Written even when an alternate has it, as a client's pack may carry it again.
      inserter.checkExisting(false);
      ObjectId id = inserter.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
      inserter.flush();
      return id;
    }
  }

  @Test
  void itSeesTheMirrorsObjectsAndTheMirrorNeverSeesItsOwnUntilMigrated() throws Exception {
    ObjectId upstream = insert(mirror, "upstream history");
    try (PushQuarantine quarantine = PushQuarantine.open(root, mirror)) {
      ObjectId packed = insertPacked(quarantine.repository(), "pushed, packed");
      ObjectId loose = insert(quarantine.repository(), "pushed, loose");

      assertThat(quarantine.repository().getObjectDatabase().has(upstream)).isTrue();
      assertThat(mirror.getObjectDatabase().has(packed)).isFalse();
      assertThat(mirror.getObjectDatabase().has(loose)).isFalse();

      quarantine.migrate(mirror);

      assertThat(mirror.getObjectDatabase().has(packed)).isTrue();
      assertThat(mirror.getObjectDatabase().has(loose)).isTrue();
      assertThat(mirror.open(packed).getBytes()).asString().isEqualTo("pushed, packed");
    }
    assertThat(root).isEmptyDirectory();
  }

  @Test
  void closingWithoutMigratingLeavesNothingAnywhere() throws Exception {
    ObjectId pushed;
    try (PushQuarantine quarantine = PushQuarantine.open(root, mirror)) {
      pushed = insertPacked(quarantine.repository(), "refused");
    }
    assertThat(root).isEmptyDirectory();
    assertThat(mirror.getObjectDatabase().has(pushed)).isFalse();
  }

  @Test
  void eachPushGetsItsOwnDirectoryNamedByNothingTheClientSent() throws Exception {
    try (PushQuarantine one = PushQuarantine.open(root, mirror);
        PushQuarantine two = PushQuarantine.open(root, mirror)) {
      assertThat(one.repository().getDirectory()).isNotEqualTo(two.repository().getDirectory());
      assertThat(one.repository().getDirectory().toPath().getParent()).isEqualTo(root);
      assertThat(one.repository().getDirectory().getName()).matches("[0-9a-f-]{36}\\.git");
    }
  }

  @Test
  void aStaleLeftoverIsDeletedWithoutFollowingALinkOutOfTheQuarantine() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "not the quarantine's");
    Files.createDirectories(root.resolve("left.git/objects/pack"));
    Files.writeString(root.resolve("left.git/objects/pack/pack-x.pack"), "half");
    Files.createSymbolicLink(root.resolve("link.git"), outside);
    Files.createSymbolicLink(root.resolve("left.git/objects/escape"), outside);

    PushQuarantine.clearStale(root);

    assertThat(root).isEmptyDirectory();
    assertThat(outside.resolve("keep.txt")).hasContent("not the quarantine's");
  }

  @Test
  void aPackTheMirrorAlreadyHasStaysAndTheQuarantineIsStillRemoved() throws Exception {
    ObjectId id;
    try (PushQuarantine first = PushQuarantine.open(root, mirror)) {
      id = insertPacked(first.repository(), "same content twice");
      first.migrate(mirror);
    }
    try (PushQuarantine second = PushQuarantine.open(root, mirror)) {
      insertPacked(second.repository(), "same content twice");
      second.migrate(mirror);
    }
    assertThat(root).isEmptyDirectory();
    assertThat(mirror.getObjectDatabase().has(id)).isTrue();
    try (Stream<Path> packs = Files.list(dir.resolve("m.git/objects/pack"))) {
      assertThat(packs.filter(p -> p.toString().endsWith(".idx"))).hasSize(1);
    }
  }
}
