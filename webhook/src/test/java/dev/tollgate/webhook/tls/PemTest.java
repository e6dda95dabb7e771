package dev.tollgate.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECPrivateKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;

class PemTest {

  private final CertificateIssuer issuer = new CertificateIssuer(Clock.systemUTC());
  private final CertificateAuthority ca = issuer.createAuthority("test-ca", Duration.ofDays(30));
  private final ServingCertificate serving =
      issuer.issue(ca, ServiceNames.of("svc", "ns"), Duration.ofDays(1));

  @Test
  void certificatesRoundTripInOrder() {
    String pem = Pem.encodeCertificates(List.of(serving.certificate(), ca.certificate()));

    assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Pem.decodeCertificates(pem))
        .containsExactly(serving.certificate(), ca.certificate());
  }

  @Test
  void privateKeysAreWrittenAsPkcs8AndReadBack() {
    String pem = Pem.encodePrivateKey(serving.key());

    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Pem.decodePrivateKey(pem).getEncoded()).isEqualTo(serving.key().getEncoded());
  }

  @Test
  void sec1KeysAsOpensslAndCertManagerWriteThemAreRead() throws Exception {
    // openssl and cert-manager write SEC1 with the curve and the public key inside.
    SubjectPublicKeyInfo publicKey =
        SubjectPublicKeyInfo.getInstance(serving.certificate().getPublicKey().getEncoded());
    ECPrivateKey sec1 =
        new ECPrivateKey(
            256,
            KeyFactory.getInstance("EC").getKeySpec(serving.key(), ECPrivateKeySpec.class).getS(),
            publicKey.getPublicKeyData(),
            publicKey.getAlgorithm().getParameters());
    StringWriter text = new StringWriter();
    try (PemWriter writer = new PemWriter(text)) {
      writer.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }

    assertThat(
            new ServingCertificate(Pem.decodePrivateKey(text.toString()), serving.chain())
                .serialNumber())
        .isEqualTo(serving.serialNumber());
  }

  @Test
  void pkcs1RsaKeysAreRead() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(pair.getPrivate());
    }
    assertThat(text.toString()).startsWith("-----BEGIN RSA PRIVATE KEY-----");

    assertThat(Pem.decodePrivateKey(text.toString()).getEncoded())
        .isEqualTo(pair.getPrivate().getEncoded());
  }

  @Test
  void otherTextIsRefused() {
    assertThatThrownBy(() -> Pem.decodeCertificates("not pem"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Pem.decodeCertificates(Pem.encodePrivateKey(serving.key())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Pem.decodePrivateKey(Pem.encodeCertificate(ca.certificate())))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
