package dev.tollgate.sidecar.policy;

import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.bundle.BundleCodec;
import dev.tollgate.engine.bundle.InvalidBundleException;
import dev.tollgate.engine.decision.PolicyEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps {@link PolicyState} in step with the bundle file. Kubernetes updates a ConfigMap volume by
 * swapping the {@code ..data} symlink, so the file is polled by content rather than watched by
 * inode: a swap, an edit in place and a re-created file all look the same. A bundle that fails to
 * parse or compile is reported and counted, and the last good one stays in force.
 */
public final class BundleReloader implements AutoCloseable {

  private static final long MAX_BUNDLE_BYTES = 16L << 20;

  private final Path file;
  private final String expectedIdentity;
  private final PolicyState state;
  private final ReloadListener listener;
  private final ScheduledExecutorService scheduler;
  private byte[] lastSeen;

  /**
   * @param expectedIdentity {@code namespace/name} a bundle must be for, or empty for any: a
   *     ConfigMap of another identity mounted by mistake must not be enforced
   */
  public BundleReloader(
      Path file, String expectedIdentity, PolicyState state, ReloadListener listener) {
    this.file = file;
    this.expectedIdentity = expectedIdentity;
    this.state = state;
    this.listener = listener;
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

  /** One poll: reload when the content changed. Safe to call from tests. */
  public synchronized void check() {
    byte[] content;
    try {
      if (Files.size(file) > MAX_BUNDLE_BYTES) {
        fail("bundle file " + file + " is larger than " + MAX_BUNDLE_BYTES + " bytes");
        return;
      }
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      if (lastSeen != null || state.engine().isEmpty()) {
        fail("bundle file " + file + " does not exist");
        lastSeen = null;
      }
      return;
    } catch (IOException e) {
      fail("cannot read bundle file " + file + ": " + e.getMessage());
      return;
    }
    if (Arrays.equals(content, lastSeen)) {
      return;
    }
    lastSeen = content;
    try {
      Bundle bundle = BundleCodec.fromJson(new String(content, StandardCharsets.UTF_8));
      String identity = bundle.identity().namespace() + "/" + bundle.identity().name();
      if (!expectedIdentity.isEmpty() && !expectedIdentity.equals(identity)) {
        fail(
            "bundle is for AgentIdentity "
                + identity
                + ", this sidecar enforces "
                + expectedIdentity);
        return;
      }
      PolicyEngine engine = PolicyEngine.load(bundle);
      state.install(engine);
      listener.reloaded(engine.revision());
    } catch (InvalidBundleException e) {
      fail("invalid bundle in " + file + ": " + e.getMessage());
    } catch (RuntimeException e) {
      fail("cannot load bundle " + file + ": " + e);
    }
  }

  private void fail(String reason) {
    String kept =
        state
            .engine()
            .map(e -> " (keeping revision " + e.revision() + ")")
            .orElse(" (no bundle: every call is denied)");
    state.reportProblem(reason + kept);
    listener.reloadFailed(reason + kept);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
