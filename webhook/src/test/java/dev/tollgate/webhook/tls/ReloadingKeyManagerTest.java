package dev.tollgate.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The key manager behind a real JDK HTTPS server, reached by a client that checks everything. */
class ReloadingKeyManagerTest {

  private final CertificateIssuer issuer = new CertificateIssuer(Clock.systemUTC());
  private final CertificateAuthority ca = issuer.createAuthority("test-ca", Duration.ofDays(30));
  private final ServiceNames names =
      ServiceNames.of("tollgate-webhook", "tollgate-system")
          .withIpAddresses(InetAddress.getLoopbackAddress());

  @Test
  void aSwappedCertificateIsServedToTheNextHandshakeWithoutRestartingTheServer() throws Exception {
    ServingCertificate first = issuer.issue(ca, names, Duration.ofDays(1));
    ReloadingKeyManager keyManager = new ReloadingKeyManager(first);
    try (HttpsTestServer server = new HttpsTestServer(ServerSslContextFactory.create(keyManager))) {
      TlsProbe.Seen before = TlsProbe.get(server.port(), List.of(ca.certificate()));
      assertThat(before.certificate().getSerialNumber()).isEqualTo(first.serialNumber());
      assertThat(before.statusLine()).isEqualTo("HTTP/1.1 200 OK");

      ServingCertificate second = issuer.issue(ca, names, Duration.ofDays(1));
      keyManager.swap(second);

      TlsProbe.Seen after = TlsProbe.get(server.port(), List.of(ca.certificate()));
      assertThat(after.certificate().getSerialNumber())
          .isEqualTo(second.serialNumber())
          .isNotEqualTo(first.serialNumber());
      assertThat(after.statusLine()).isEqualTo("HTTP/1.1 200 OK");
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCaIsRefused() throws Exception {
    ReloadingKeyManager keyManager =
        new ReloadingKeyManager(issuer.issue(ca, names, Duration.ofDays(1)));
    CertificateAuthority stranger = issuer.createAuthority("stranger-ca", Duration.ofDays(30));
    try (HttpsTestServer server = new HttpsTestServer(ServerSslContextFactory.create(keyManager))) {
      assertThatThrownBy(() -> TlsProbe.get(server.port(), List.of(stranger.certificate())))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void aCertificateWithoutTheAddressTheClientDialedIsRefused() throws Exception {
    ServiceNames withoutLoopback = ServiceNames.of("tollgate-webhook", "tollgate-system");
    ReloadingKeyManager keyManager =
        new ReloadingKeyManager(issuer.issue(ca, withoutLoopback, Duration.ofDays(1)));
    try (HttpsTestServer server = new HttpsTestServer(ServerSslContextFactory.create(keyManager))) {
      assertThatThrownBy(() -> TlsProbe.get(server.port(), List.of(ca.certificate())))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void theAliasChosenBeforeASwapStillResolvesToAMatchingPair() {
    ServingCertificate first = issuer.issue(ca, names, Duration.ofDays(1));
    ReloadingKeyManager keyManager = new ReloadingKeyManager(first);
    String alias = keyManager.chooseServerAlias("EC", null, null);

    keyManager.swap(issuer.issue(ca, names, Duration.ofDays(1)));

    assertThat(keyManager.getCertificateChain(alias)[0].getSerialNumber())
        .isEqualTo(first.serialNumber());
    assertThat(keyManager.getPrivateKey(alias)).isEqualTo(first.key());
    assertThat(keyManager.chooseServerAlias("EC", null, null)).isNotEqualTo(alias);
    assertThat(keyManager.chooseServerAlias("RSA", null, null)).isNull();
  }
}
