package dev.tollgate.webhook.tls;

import javax.net.ssl.SSLContext;

/**
 * Where the webhook's serving certificate comes from: {@link SelfManagedTls} (the default) or
 * {@link FileTls} (cert-manager, or any mounted key pair). Either way the certificate can change
 * while the server runs, and the returned context serves the change to new connections.
 */
public interface WebhookTls extends AutoCloseable {

  /**
   * Loads the first certificate (failing when there is none to serve) and starts watching for the
   * next.
   */
  SSLContext start();

  /** The certificate new connections are served now. */
  ServingCertificate current();

  /** Stops watching. */
  @Override
  void close();
}
