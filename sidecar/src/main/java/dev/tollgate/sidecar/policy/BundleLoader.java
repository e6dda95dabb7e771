package dev.tollgate.sidecar.policy;

import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.bundle.BundleCodec;
import dev.tollgate.engine.bundle.InvalidBundleException;
import dev.tollgate.engine.decision.PolicyEngine;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.logging.Logger;

/**
 * The one place bundle bytes become the enforced policy, whichever source delivered them: skips
 * what is already in force, parses, checks the identity, compiles and installs, or reports the
 * problem and keeps the last good bundle.
 *
 * <p>Two sources deliver the same ConfigMap: the kubelet's copy in the pod (the file, refreshed
 * only on the kubelet's sync period, about a minute) and the API watch (seconds). The bundle
 * revision is a content hash, so it cannot say which of two bundles is newer. What can: the watch
 * follows the ConfigMap itself, in the order the API server stored it, while the file is a copy of
 * some earlier or equal state of that same object. So once the watch has delivered the ConfigMap
 * (an add, update or delete), the file can only repeat or lag behind it, and its changes are not
 * installed, not even a version the watch never showed (the kubelet may land on an intermediate
 * version the informer coalesced away: installing it would revert to older rules for a minute).
 * Until then (the watch is off, not allowed, or not yet synced) the file is the source, as it is at
 * start; and if the watch stops for good, the file's latest content takes over again.
 */
public final class BundleLoader {

  private static final Logger LOG = Logger.getLogger(BundleLoader.class.getName());

  private final String expectedIdentity;
  private final PolicyState state;
  private final ReloadListener listener;
  private byte[] installed;
  private boolean followingConfigMap;
  // What the file said last (content, or null with the reason it is missing), replayed when the
  // watch stops.
  private BundleSource fileSource;
  private byte[] fileContent;
  private String fileProblem;

  /**
   * @param expectedIdentity {@code namespace/name} a bundle must be for, or empty for any: a
   *     ConfigMap of another identity mounted or edited by mistake must not be enforced
   */
  public BundleLoader(String expectedIdentity, PolicyState state, ReloadListener listener) {
    this.expectedIdentity = expectedIdentity;
    this.state = state;
    this.listener = listener;
  }

  /** Bundle bytes as {@code source} now holds them. */
  public synchronized void offer(BundleSource source, byte[] content) {
    if (source.isFile()) {
      fileSource = source;
      fileContent = content;
      fileProblem = null;
      if (followingConfigMap) {
        return;
      }
    } else {
      followingConfigMap = true;
    }
    if (Arrays.equals(content, installed)) {
      if (state.withdrawn()) {
        PolicyEngine engine = state.engine().orElseThrow();
        state.install(engine);
        listener.reloaded(engine.revision(), source);
      }
      return;
    }
    try {
      Bundle bundle = BundleCodec.fromJson(new String(content, StandardCharsets.UTF_8));
      String identity = bundle.identity().namespace() + "/" + bundle.identity().name();
      if (!expectedIdentity.isEmpty() && !expectedIdentity.equals(identity)) {
        fail(
            "bundle is for AgentIdentity "
                + identity
                + ", this sidecar enforces "
                + expectedIdentity
                + ": refused from "
                + source);
        return;
      }
      PolicyEngine engine = PolicyEngine.load(bundle);
      state.install(engine);
      installed = content;
      listener.reloaded(engine.revision(), source);
    } catch (InvalidBundleException e) {
      fail("invalid bundle in " + source + ": " + e.getMessage());
    } catch (RuntimeException e) {
      fail("cannot load bundle " + source + ": " + e);
    }
  }

  /**
   * {@code source} holds no bundle any more (deleted, unreadable): the enforced bundle stays, not
   * ready, until a source delivers one again.
   */
  public synchronized void withdraw(BundleSource source, String why) {
    if (source.isFile()) {
      fileSource = source;
      fileContent = null;
      fileProblem = why;
      if (followingConfigMap) {
        LOG.warning(why + "; the bundle follows the ConfigMap through the API");
        return;
      }
    } else {
      followingConfigMap = true;
    }
    String reason = why + kept();
    state.withdraw(reason);
    listener.reloadFailed(reason);
  }

  /** A problem reading {@code source} that says nothing about its bundle (an I/O error). */
  public synchronized void readFailed(BundleSource source, String why) {
    if (!source.isFile() || !followingConfigMap) {
      fail(why);
    }
  }

  /** The API watch ended for good: the file is the source again, from what it holds now. */
  public synchronized void configMapWatchStopped(String why) {
    if (!followingConfigMap) {
      return;
    }
    followingConfigMap = false;
    LOG.warning("the bundle ConfigMap is no longer followed (" + why + "); the file is the source");
    if (fileContent != null) {
      offer(fileSource, fileContent);
    } else if (fileProblem != null) {
      withdraw(fileSource, fileProblem);
    }
  }

  private void fail(String reason) {
    String withKept = reason + kept();
    state.reportProblem(withKept);
    listener.reloadFailed(withKept);
  }

  private String kept() {
    return state
        .engine()
        .map(e -> " (keeping revision " + e.revision() + ")")
        .orElse(" (no bundle: every call is denied)");
  }
}
