package dev.tollgate.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollgate.testsupport.MutableClock;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class SelfManagedTlsTest {

  private static final String NAMESPACE = "tollgate-system";
  private static final String SECRET = "tollgate-webhook-tls";
  private static final String WATCHER_THREAD = "tollgate-webhook-tls";

  KubernetesClient client;

  private final ServiceNames names =
      ServiceNames.of("tollgate-webhook", NAMESPACE)
          .withIpAddresses(InetAddress.getLoopbackAddress());
  private final SelfManagedTlsSettings settings =
      SelfManagedTlsSettings.of(NAMESPACE, "tollgate-webhook", SECRET)
          .withNames(names)
          .withWebhookConfigurations(
              List.of(CaBundlePatcherTest.MUTATING), List.of(CaBundlePatcherTest.VALIDATING))
          .withCheckInterval(Duration.ofMillis(100));

  @AfterEach
  void everyWatcherThreadIsStopped() {
    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .doesNotContain(WATCHER_THREAD);
  }

  @Test
  void servesTheSecretsCertificateAndPicksUpAnotherReplicasRotationWithoutRestart()
      throws Exception {
    CaBundlePatcherTest.createConfigurations(client);
    try (SelfManagedTls tls = new SelfManagedTls(client, settings)) {
      SSLContext context = tls.start();
      try (HttpsTestServer server = new HttpsTestServer(context)) {
        TlsMaterial stored = storedMaterial();
        assertThat(TlsProbe.get(server.port(), stored.caBundle()).certificate().getSerialNumber())
            .isEqualTo(stored.serving().serialNumber());
        assertThat(patchedBundles()).containsOnly(stored.caBundlePem());

        // Another replica, whose required names grew, renews the serving certificate in the Secret.
        CertificateStore otherReplica =
            new CertificateStore(
                client,
                NAMESPACE,
                SECRET,
                new CertificateRotation(
                    names.withExtraDnsNames("tollgate-webhook.example"),
                    RotationPolicy.DEFAULT,
                    Clock.systemUTC()));
        TlsMaterial rotated = otherReplica.ensureCurrent().material();
        assertThat(rotated.serving().serialNumber()).isNotEqualTo(stored.serving().serialNumber());

        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(
                            TlsProbe.get(server.port(), rotated.caBundle())
                                .certificate()
                                .getSerialNumber())
                        .isEqualTo(rotated.serving().serialNumber()));
        assertThat(tls.current().serialNumber()).isEqualTo(rotated.serving().serialNumber());
      }
      assertThat(Thread.getAllStackTraces().keySet())
          .extracting(Thread::getName)
          .contains(WATCHER_THREAD);
    }
  }

  @Test
  void aClientThatDoesNotTrustTheSecretsCaIsRefused() throws Exception {
    try (SelfManagedTls tls = new SelfManagedTls(client, settings);
        HttpsTestServer server = new HttpsTestServer(tls.start())) {
      CertificateAuthority stranger =
          new CertificateIssuer(Clock.systemUTC()).createAuthority("stranger", Duration.ofDays(1));

      assertThatThrownBy(() -> TlsProbe.get(server.port(), List.of(stranger.certificate())))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void theWatcherRenewsWhenDueAndSwapsTheNewCertificateIn() {
    MutableClock clock = new MutableClock(Instant.now());
    try (SelfManagedTls tls = new SelfManagedTls(client, settings, clock)) {
      tls.start();
      BigInteger first = tls.current().serialNumber();
      String caBundle = storedMaterial().caBundlePem();

      clock.advance(Duration.ofDays(340));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !tls.current().serialNumber().equals(first));
      TlsMaterial stored = storedMaterial();
      assertThat(stored.serving().serialNumber()).isEqualTo(tls.current().serialNumber());
      assertThat(stored.caBundlePem()).isEqualTo(caBundle);
    }
  }

  @Test
  void configurationsInstalledAfterStartAreStillPatched() {
    try (SelfManagedTls tls = new SelfManagedTls(client, settings)) {
      tls.start();
      String caBundle = storedMaterial().caBundlePem();

      CaBundlePatcherTest.createConfigurations(client);

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(patchedBundles()).containsOnly(caBundle));
    }
  }

  @Test
  void twoReplicasStartingOnTheSameSecretServeTheSameCertificate() {
    try (SelfManagedTls one = new SelfManagedTls(client, settings);
        SelfManagedTls two = new SelfManagedTls(client, settings)) {
      one.start();
      two.start();

      assertThat(two.current().sameAs(one.current())).isTrue();
    }
  }

  private TlsMaterial storedMaterial() {
    Secret secret = client.secrets().inNamespace(NAMESPACE).withName(SECRET).get();
    return TlsSecretFormat.fromSecret(secret);
  }

  /** The caBundle of every webhook in both configurations, decoded. */
  private List<String> patchedBundles() {
    var mutating =
        client
            .admissionRegistration()
            .v1()
            .mutatingWebhookConfigurations()
            .withName(CaBundlePatcherTest.MUTATING)
            .get();
    var validating =
        client
            .admissionRegistration()
            .v1()
            .validatingWebhookConfigurations()
            .withName(CaBundlePatcherTest.VALIDATING)
            .get();
    return Stream.concat(
            mutating.getWebhooks().stream().map(webhook -> webhook.getClientConfig().getCaBundle()),
            validating.getWebhooks().stream()
                .map(webhook -> webhook.getClientConfig().getCaBundle()))
        .map(
            caBundle ->
                caBundle == null
                    ? ""
                    : new String(Base64.getDecoder().decode(caBundle), StandardCharsets.US_ASCII))
        .toList();
  }
}
