package dev.tollgate.sidecar.gate.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mirror's one-time repack with a bitmap index, on a JGit repository on disk. */
class MirrorPacksTest {

  @TempDir Path dir;

  /** A bare repository holding 20 commits in packs, as fetches leave a mirror. */
  Repository mirror() throws Exception {
    Path work = dir.resolve("work");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      for (int i = 0; i < 20; i++) {
        Files.writeString(work.resolve("f" + i), "content " + i, StandardCharsets.UTF_8);
        git.add().addFilepattern(".").call();
        git.commit().setMessage("c" + i).setSign(false).call();
      }
    }
    Repository mirror =
        new FileRepositoryBuilder().setGitDir(dir.resolve("m.git").toFile()).setBare().build();
    mirror.create(true);
    try (Git git = Git.wrap(mirror)) {
      git.fetch()
          .setRemote(work.toUri().toString())
          .setRefSpecs("+refs/heads/*:refs/heads/*")
          .call();
    }
    return mirror;
  }

  List<Path> files(Repository repository, String extension) throws Exception {
    try (Stream<Path> files =
        Files.list(repository.getDirectory().toPath().resolve("objects/pack"))) {
      return files.filter(p -> p.toString().endsWith(extension)).toList();
    }
  }

  @Test
  void aMirrorOverTheThresholdIsRepackedOnceWithABitmap() throws Exception {
    try (Repository mirror = mirror()) {
      ObjectId main = mirror.resolve("refs/heads/main");
      assertThat(mirror).isInstanceOf(FileRepository.class);
      assertThat(files(mirror, ".bitmap")).isEmpty();

      MirrorPacks.ensureBitmap(mirror, 10);

      assertThat(files(mirror, ".bitmap")).hasSize(1);
      assertThat(files(mirror, ".pack")).hasSize(1);
      assertThat(mirror.resolve("refs/heads/main")).isEqualTo(main);
      assertThat(mirror.parseCommit(main).getShortMessage()).isEqualTo("c19");
      List<Path> packs = files(mirror, ".pack");

      MirrorPacks.ensureBitmap(mirror, 10);

      assertThat(files(mirror, ".pack")).isEqualTo(packs);
    }
  }

  @Test
  void aSmallMirrorIsLeftAsItIs() throws Exception {
    try (Repository mirror = mirror()) {
      List<Path> packs = files(mirror, ".pack");

      MirrorPacks.ensureBitmap(mirror, 1_000);

      assertThat(files(mirror, ".pack")).isEqualTo(packs);
      assertThat(files(mirror, ".bitmap")).isEmpty();
    }
  }
}
