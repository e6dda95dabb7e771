package dev.tollgate.benchmarks.webhook;

import dev.tollgate.webhook.tls.CertificateAuthority;
import dev.tollgate.webhook.tls.CertificateIssuer;
import dev.tollgate.webhook.tls.ReloadingKeyManager;
import dev.tollgate.webhook.tls.ServerSslContextFactory;
import dev.tollgate.webhook.tls.ServiceNames;
import dev.tollgate.webhook.tls.ServingCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS without Kubernetes: an in-memory CA and a serving certificate for the webhook Service and
 * 127.0.0.1, made by the webhook's own {@code tls} package, served through the same {@link
 * ReloadingKeyManager} and {@link ServerSslContextFactory} as in production. The client trusts
 * exactly that CA (as the API server does through caBundle) and counts full handshakes: the trust
 * manager checks the server's chain once per full handshake, never on resumption.
 */
final class BenchTls {

  private final CertificateAuthority authority;
  private final SSLContext server;
  private final AtomicLong clientHandshakes = new AtomicLong();

  BenchTls() throws Exception {
    CertificateIssuer issuer = new CertificateIssuer(Clock.systemUTC());
    authority = issuer.createAuthority("tollgate-webhook-bench-ca", Duration.ofDays(1));
    ServingCertificate serving =
        issuer.issue(
            authority,
            ServiceNames.of("tollgate-webhook", "tollgate-system")
                .withIpAddresses(InetAddress.getByName("127.0.0.1")),
            Duration.ofDays(1));
    server = ServerSslContextFactory.create(new ReloadingKeyManager(serving));
  }

  SSLContext serverContext() {
    return server;
  }

  /** Full TLS handshakes the client has made so far (each new connection makes one). */
  long clientHandshakes() {
    return clientHandshakes.get();
  }

  /**
   * A client context that trusts only the bench CA and counts the handshakes that verify the
   * server.
   */
  SSLContext clientContext() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("bench-ca", authority.certificate());
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    X509ExtendedTrustManager trusting = null;
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager extended) {
        trusting = extended;
      }
    }
    if (trusting == null) {
      throw new IllegalStateException("no X509ExtendedTrustManager");
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        null, new TrustManager[] {new CountingTrustManager(trusting, clientHandshakes)}, null);
    return context;
  }

  private static final class CountingTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;
    private final AtomicLong handshakes;

    CountingTrustManager(X509ExtendedTrustManager delegate, AtomicLong handshakes) {
      this.delegate = delegate;
      this.handshakes = handshakes;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      handshakes.incrementAndGet();
      delegate.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      handshakes.incrementAndGet();
      delegate.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      handshakes.incrementAndGet();
      delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }
}
