package dev.tollgate.webhook.tls;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** The key and certificate chain (leaf first) a TLS server presents. */
public record ServingCertificate(PrivateKey key, List<X509Certificate> chain) {

  public ServingCertificate {
    Objects.requireNonNull(key, "key");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("empty certificate chain");
    }
    if (!KeyPairing.matches(key, chain.get(0))) {
      throw new IllegalArgumentException(
          "the private key does not belong to the serving certificate");
    }
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  public BigInteger serialNumber() {
    return certificate().getSerialNumber();
  }

  /** Same certificate bytes and key bytes: nothing to reload. */
  public boolean sameAs(ServingCertificate other) {
    return other != null
        && Pem.encodeCertificates(chain).equals(Pem.encodeCertificates(other.chain))
        && Arrays.equals(key.getEncoded(), other.key.getEncoded());
  }
}
