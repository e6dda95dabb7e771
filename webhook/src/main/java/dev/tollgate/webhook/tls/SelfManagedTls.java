package dev.tollgate.webhook.tls;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * The webhook's own TLS: a CA and serving certificate kept in a Secret, the CA bundle patched into
 * the webhook configurations, renewal before expiry, and reload without restart. Replicas agree
 * through the Secret (see {@link CertificateStore}).
 *
 * <p>The Kubernetes client belongs to the caller and stays open after {@link #close()}.
 */
public final class SelfManagedTls implements WebhookTls {

  private static final Logger LOG = Logger.getLogger(SelfManagedTls.class.getName());

  private final SelfManagedTlsSettings settings;
  private final CertificateStore store;
  private final CaBundlePatcher patcher;
  private ReloadingKeyManager keyManager;
  private CertificateWatcher watcher;

  public SelfManagedTls(KubernetesClient client, SelfManagedTlsSettings settings) {
    this(client, settings, Clock.systemUTC());
  }

  SelfManagedTls(KubernetesClient client, SelfManagedTlsSettings settings, Clock clock) {
    this.settings = settings;
    this.store =
        new CertificateStore(
            client,
            settings.namespace(),
            settings.secretName(),
            new CertificateRotation(settings.names(), settings.policy(), clock));
    this.patcher =
        new CaBundlePatcher(
            client,
            settings.mutatingWebhookConfigurations(),
            settings.validatingWebhookConfigurations());
  }

  /**
   * Makes the Secret current (creating it if need be), patches the CA bundle, and starts the
   * watcher. Fails when the Secret can be neither read nor written: there is nothing to serve.
   */
  @Override
  public synchronized SSLContext start() {
    if (watcher != null) {
      throw new IllegalStateException("already started");
    }
    CertificateStore.Result first = store.ensureCurrent();
    ServingCertificate serving = first.material().serving();
    keyManager = new ReloadingKeyManager(serving);
    watcher = new CertificateWatcher(store, patcher, keyManager);
    watcher.patchBundle(first.material());
    watcher.start(settings.checkInterval());
    LOG.info(
        "serving the webhook certificate with serial "
            + serving.serialNumber().toString(16)
            + " from Secret "
            + settings.namespace()
            + "/"
            + settings.secretName()
            + ", valid until "
            + serving.certificate().getNotAfter()
            + "; checking every "
            + settings.checkInterval());
    return ServerSslContextFactory.create(keyManager);
  }

  @Override
  public synchronized ServingCertificate current() {
    if (keyManager == null) {
      throw new IllegalStateException("not started");
    }
    return keyManager.current();
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      watcher.close();
    }
  }
}
