package dev.tollgate.sidecar.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Feeds the bundle file to {@link BundleLoader} whenever its content changes. Kubernetes updates a
 * ConfigMap volume by swapping the {@code ..data} symlink, so the file is polled by content rather
 * than watched by inode: a swap, an edit in place and a re-created file all look the same.
 */
public final class BundleFilePoller implements AutoCloseable {

  private static final long MAX_BUNDLE_BYTES = 16L << 20;

  private final Path file;
  private final BundleSource source;
  private final BundleLoader loader;
  private final ScheduledExecutorService scheduler;
  private byte[] lastSeen;
  private boolean reportedMissing;

  public BundleFilePoller(Path file, BundleLoader loader) {
    this.file = file;
    this.source = BundleSource.file(file);
    this.loader = loader;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "tollgate-bundle-reload");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Loads once now (so readiness is known at start), then polls. */
  public void start(Duration interval) {
    check();
    scheduler.scheduleWithFixedDelay(
        this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One poll: hands the content over when it changed. Safe to call from tests. */
  public synchronized void check() {
    byte[] content;
    try {
      if (Files.size(file) > MAX_BUNDLE_BYTES) {
        loader.readFailed(
            source, "bundle file " + file + " is larger than " + MAX_BUNDLE_BYTES + " bytes");
        return;
      }
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      // Reported once per disappearance; when it comes back, even unchanged, it is offered again.
      if (!reportedMissing) {
        reportedMissing = true;
        lastSeen = null;
        loader.withdraw(source, "bundle file " + file + " does not exist");
      }
      return;
    } catch (IOException e) {
      loader.readFailed(source, "cannot read bundle file " + file + ": " + e.getMessage());
      return;
    }
    reportedMissing = false;
    if (Arrays.equals(content, lastSeen)) {
      return;
    }
    lastSeen = content;
    loader.offer(source, content);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
