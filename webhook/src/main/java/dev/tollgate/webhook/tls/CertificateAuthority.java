package dev.tollgate.webhook.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A CA certificate with the key that signs serving certificates under it. */
public record CertificateAuthority(X509Certificate certificate, PrivateKey key) {

  public CertificateAuthority {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(key, "key");
    if (!KeyPairing.matches(key, certificate)) {
      throw new IllegalArgumentException("the CA key does not belong to the CA certificate");
    }
  }
}
