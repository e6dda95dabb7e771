package dev.tollgate.sidecar.tls;

import dev.tollgate.engine.model.PemCertificates;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust in exactly the CA certificates of a PEM bundle, instead of the JDK's roots: for an upstream
 * with a private CA (a git remote's {@code caBundle}, the audit export's {@code --audit-export-ca-
 * bundle}). Certificates are read by {@link PemCertificates}, as the engine reads them when it
 * checks a bundle, so what is accepted there is what is trusted here.
 */
public final class PemTrust {

  private PemTrust() {}

  /**
   * Trust managers that accept chains to {@code pem}'s certificates only.
   *
   * @throws GeneralSecurityException naming what is wrong: no certificate, or one that does not
   *     parse
   */
  public static TrustManager[] trustManagers(String pem) throws GeneralSecurityException {
    List<X509Certificate> certificates = PemCertificates.parse(pem);
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (IOException e) {
      // An empty in-memory store reads nothing, so this does not happen.
      throw new GeneralSecurityException("cannot create an empty key store: " + e.getMessage(), e);
    }
    for (int i = 0; i < certificates.size(); i++) {
      store.setCertificateEntry("ca-" + i, certificates.get(i));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }

  /** A TLS context for clients that trusts {@code pem}'s certificates only. */
  public static SSLContext clientContext(String pem) throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers(pem), null);
    return context;
  }
}
