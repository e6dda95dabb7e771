package dev.tollgate.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateIssuerTest {

  private static final int DNS = 2;
  private static final int IP = 7;
  private static final int KEY_CERT_SIGN = 5;
  private static final int DIGITAL_SIGNATURE = 0;
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  private final Instant now = Instant.parse("2026-03-01T12:00:00Z");
  private final CertificateIssuer issuer = new CertificateIssuer(Clock.fixed(now, ZoneOffset.UTC));
  private final ServiceNames names =
      ServiceNames.of("tollgate-webhook", "tollgate-system").withIpAddresses(loopback());

  @Test
  void caIsSelfSignedCaWithCertSignUsage() throws Exception {
    CertificateAuthority ca = issuer.createAuthority("tollgate-webhook-ca", Duration.ofDays(3650));
    X509Certificate certificate = ca.certificate();

    certificate.verify(certificate.getPublicKey());
    assertThat(certificate.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(certificate.getKeyUsage()[KEY_CERT_SIGN]).isTrue();
    assertThat(certificate.getSubjectX500Principal().getName())
        .contains("CN=tollgate-webhook-ca@" + now.getEpochSecond());
    assertThat(certificate.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(3650)));
    assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void servingCertificateNamesTheServiceAndLoopbackForServerAuth() throws Exception {
    CertificateAuthority ca = issuer.createAuthority("tollgate-webhook-ca", Duration.ofDays(3650));
    ServingCertificate serving = issuer.issue(ca, names, Duration.ofDays(365));
    X509Certificate certificate = serving.certificate();

    certificate.verify(ca.certificate().getPublicKey());
    assertThat(certificate.getIssuerX500Principal())
        .isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    assertThat(certificate.getKeyUsage()[DIGITAL_SIGNATURE]).isTrue();
    assertThat(certificate.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(certificate.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(
            List.of(DNS, "tollgate-webhook"),
            List.of(DNS, "tollgate-webhook.tollgate-system"),
            List.of(DNS, "tollgate-webhook.tollgate-system.svc"),
            List.of(DNS, "tollgate-webhook.tollgate-system.svc.cluster.local"),
            List.of(IP, "127.0.0.1"));
    assertThat(certificate.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(365)));
    assertThat(names.coveredBy(certificate)).isTrue();
    assertThat(names.withExtraDnsNames("webhook.example").coveredBy(certificate)).isFalse();
  }

  @Test
  void servingCertificateNeverOutlivesItsCa() {
    CertificateAuthority ca = issuer.createAuthority("tollgate-webhook-ca", Duration.ofDays(100));

    ServingCertificate serving = issuer.issue(ca, names, Duration.ofDays(365));

    assertThat(serving.certificate().getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
  }

  @Test
  void aKeyFromAnotherPairIsRefused() {
    CertificateAuthority ca = issuer.createAuthority("tollgate-webhook-ca", Duration.ofDays(3650));
    ServingCertificate one = issuer.issue(ca, names, Duration.ofDays(365));
    ServingCertificate other = issuer.issue(ca, names, Duration.ofDays(365));

    assertThatThrownBy(() -> new ServingCertificate(one.key(), other.chain()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CertificateAuthority(ca.certificate(), one.key()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static InetAddress loopback() {
    return InetAddress.getLoopbackAddress();
  }
}
