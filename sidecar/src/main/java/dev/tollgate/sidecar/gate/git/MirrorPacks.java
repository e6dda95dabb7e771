package dev.tollgate.sidecar.gate.git;

import java.io.File;
import java.io.IOException;
import java.text.ParseException;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.GC;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.internal.storage.file.Pack;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.pack.PackConfig;

/**
 * How the mirror's objects are packed for serving. Without a bitmap index, each clone makes JGit's
 * upload-pack walk every commit's trees to enumerate what to send: with a bitmap, the enumeration
 * is a few bitmap operations. So once a mirror holds enough objects and has no bitmap, it is
 * repacked once into one pack with a bitmap (the existing deltas reused, no delta search); later
 * fetches and pushes add packs the bitmap does not cover, which upload-pack walks only down to the
 * bitmapped commits.
 */
final class MirrorPacks {

  private static final Logger LOG = Logger.getLogger(MirrorPacks.class.getName());

  /** Below this many objects a walk is cheap: no repack. */
  static final long BITMAP_THRESHOLD = 5_000;

  private MirrorPacks() {}

  /**
   * The configuration upload-pack serves with: the mirror's representations (whole or delta) sent
   * as they are stored, no delta search, which would cost the gateway CPU on every clone for a pack
   * at best a little smaller.
   */
  static PackConfig serving(Repository mirror) {
    PackConfig config = new PackConfig(mirror);
    config.setReuseDeltas(true);
    config.setReuseObjects(true);
    config.setDeltaCompress(false);
    return config;
  }

  /**
   * Repacks the mirror with a bitmap index when it has none and holds at least {@link
   * #BITMAP_THRESHOLD} objects; the caller holds the mirror's lock. A failure is logged, never
   * thrown: the mirror still serves, only slower.
   */
  static void ensureBitmap(Repository mirror) {
    ensureBitmap(mirror, BITMAP_THRESHOLD);
  }

  /** {@link #ensureBitmap(Repository)} from {@code threshold} objects on. */
  static void ensureBitmap(Repository mirror, long threshold) {
    if (!(mirror instanceof FileRepository file)
        || !(mirror.getObjectDatabase() instanceof ObjectDirectory objects)) {
      return;
    }
    try {
      long count = 0;
      for (Pack pack : objects.getPacks()) {
        File bitmap = pack.getPackFile().create(PackExt.BITMAP_INDEX);
        if (bitmap.isFile()) {
          return;
        }
        count += pack.getIndex().getObjectCount();
      }
      if (count < threshold) {
        return;
      }
      long start = System.nanoTime();
      GC gc = new GC(file);
      PackConfig config = serving(mirror);
      config.setBuildBitmaps(true);
      gc.setPackConfig(config);
      // The packs replaced go at once: the mirror would otherwise hold its objects twice. A clone
      // reading one meanwhile keeps it open (and JGit looks an object up again when a pack is
      // gone).
      gc.setPackExpire(Instant.now());
      gc.gc().join();
      LOG.info(
          () ->
              "mirror "
                  + mirror.getDirectory()
                  + " repacked with a bitmap index ("
                  + (System.nanoTime() - start) / 1_000_000
                  + " ms)");
    } catch (IOException | ParseException | GitAPIException | RuntimeException e) {
      LOG.log(Level.WARNING, "mirror " + mirror.getDirectory() + " not repacked with a bitmap", e);
    }
  }
}
