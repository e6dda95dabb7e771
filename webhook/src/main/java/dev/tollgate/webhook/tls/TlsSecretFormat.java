package dev.tollgate.webhook.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Secret layout: a {@code kubernetes.io/tls} Secret ({@code tls.crt}, {@code tls.key}) plus
 * {@code ca.crt} (the CA bundle, signing CA first) and {@code ca.key} (the signing CA's key).
 */
final class TlsSecretFormat {

  static final String TYPE = "kubernetes.io/tls";
  static final String TLS_CRT = "tls.crt";
  static final String TLS_KEY = "tls.key";
  static final String CA_CRT = "ca.crt";
  static final String CA_KEY = "ca.key";
  static final Map<String, String> LABELS =
      Map.of("app.kubernetes.io/managed-by", "tollgate-webhook");

  private TlsSecretFormat() {}

  static Secret toSecret(String namespace, String name, TlsMaterial material) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(TLS_CRT, base64(Pem.encodeCertificates(material.serving().chain())));
    data.put(TLS_KEY, base64(Pem.encodePrivateKey(material.serving().key())));
    data.put(CA_CRT, base64(material.caBundlePem()));
    data.put(CA_KEY, base64(Pem.encodePrivateKey(material.signer().key())));
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withLabels(LABELS)
        .endMetadata()
        .withType(TYPE)
        .withData(data)
        .build();
  }

  /**
   * The material in the Secret; {@link IllegalArgumentException} when it is missing or
   * inconsistent.
   */
  static TlsMaterial fromSecret(Secret secret) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    List<X509Certificate> bundle = Pem.decodeCertificates(text(data, CA_CRT));
    CertificateAuthority signer =
        new CertificateAuthority(bundle.get(0), Pem.decodePrivateKey(text(data, CA_KEY)));
    ServingCertificate serving =
        new ServingCertificate(
            Pem.decodePrivateKey(text(data, TLS_KEY)), Pem.decodeCertificates(text(data, TLS_CRT)));
    return new TlsMaterial(signer, bundle, serving);
  }

  private static String text(Map<String, String> data, String key) {
    String value = data.get(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the Secret has no " + key);
    }
    return new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}
