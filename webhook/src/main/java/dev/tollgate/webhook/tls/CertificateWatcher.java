package dev.tollgate.webhook.tls;

import java.time.Duration;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps this replica in step with the Secret: on every check it makes the Secret current (renewing
 * what is due, or picking up what another replica wrote), patches the CA bundle into the webhook
 * configurations, and then serves the Secret's certificate.
 *
 * <p>The bundle is patched before the certificate is swapped in, so that when a renewal brings a
 * new CA the API server is told to trust it before it is first presented.
 */
public final class CertificateWatcher implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(CertificateWatcher.class.getName());

  private final CertificateStore store;
  private final CaBundlePatcher patcher;
  private final ReloadingKeyManager keyManager;
  private PeriodicTask task;

  public CertificateWatcher(
      CertificateStore store, CaBundlePatcher patcher, ReloadingKeyManager keyManager) {
    this.store = store;
    this.patcher = patcher;
    this.keyManager = keyManager;
  }

  /** Checks every {@code interval} on a daemon thread until {@link #close()}. */
  public synchronized void start(Duration interval) {
    if (task != null) {
      throw new IllegalStateException("already started");
    }
    task = new PeriodicTask("tollgate-webhook-tls", interval, this::check);
  }

  /** One check; also what {@link SelfManagedTls#start()} runs before serving. */
  public void check() {
    CertificateStore.Result result = store.ensureCurrent();
    TlsMaterial material = result.material();
    patchBundle(material);
    if (!material.serving().sameAs(keyManager.current())) {
      keyManager.swap(material.serving());
      LOG.info(
          "now serving the webhook certificate with serial "
              + material.serving().serialNumber().toString(16)
              + " ("
              + result.outcome().name().toLowerCase(Locale.ROOT)
              + "), valid until "
              + material.serving().certificate().getNotAfter());
    }
  }

  /**
   * A failed patch (API server away, RBAC missing) must not keep a renewed certificate from being
   * served: the CA it chains to has been in the Secret's bundle long before it signs anything (see
   * {@link RotationPolicy}), so the next check has many chances to patch it.
   */
  void patchBundle(TlsMaterial material) {
    try {
      patcher.patch(material.caBundlePem());
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "could not patch the CA bundle into the webhook configurations; retrying at the next check",
          e);
    }
  }

  @Override
  public synchronized void close() {
    if (task != null) {
      task.close();
      task = null;
    }
  }
}
