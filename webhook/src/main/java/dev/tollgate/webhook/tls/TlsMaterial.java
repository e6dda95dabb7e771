package dev.tollgate.webhook.tls;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Everything the Secret holds: the CA that signs, the CAs clients must trust (the signing CA first,
 * then any older CA that is still valid and may still have signed a certificate in use), and the
 * serving certificate.
 */
public record TlsMaterial(
    CertificateAuthority signer, List<X509Certificate> caBundle, ServingCertificate serving) {

  public TlsMaterial {
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(serving, "serving");
    caBundle = List.copyOf(caBundle);
    if (caBundle.isEmpty() || !caBundle.get(0).equals(signer.certificate())) {
      throw new IllegalArgumentException("the CA bundle must start with the signing CA");
    }
  }

  /**
   * The PEM the API server gets as {@code caBundle} (before base64) and the Secret keeps as {@code
   * ca.crt}.
   */
  public String caBundlePem() {
    return Pem.encodeCertificates(caBundle);
  }
}
