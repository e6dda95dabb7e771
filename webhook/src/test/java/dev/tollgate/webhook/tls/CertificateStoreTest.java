package dev.tollgate.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testsupport.MutableClock;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class CertificateStoreTest {

  private static final String NAMESPACE = "tollgate-system";
  private static final String SECRET = "tollgate-webhook-tls";
  private static final String SECRET_PATH =
      "/api/v1/namespaces/" + NAMESPACE + "/secrets/" + SECRET;

  KubernetesMockServer server;
  KubernetesClient client;

  private final MutableClock clock = new MutableClock(Instant.now());
  private final ServiceNames names = ServiceNames.of("tollgate-webhook", NAMESPACE);

  @Test
  void createsTheSecretWhenAbsent() {
    CertificateStore.Result result = store(clock).ensureCurrent();

    assertThat(result.outcome()).isEqualTo(CertificateStore.Outcome.CREATED);
    Secret secret = secret();
    assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(secret.getData()).containsOnlyKeys("tls.crt", "tls.key", "ca.crt", "ca.key");
    TlsMaterial stored = TlsSecretFormat.fromSecret(secret);
    assertThat(stored.serving().serialNumber())
        .isEqualTo(result.material().serving().serialNumber());
    assertThat(stored.signer().certificate()).isEqualTo(result.material().signer().certificate());
  }

  @Test
  void aSecondReplicaUsesTheFirstReplicasSecret() {
    TlsMaterial first = store(clock).ensureCurrent().material();

    CertificateStore.Result second = store(clock).ensureCurrent();

    assertThat(second.outcome()).isEqualTo(CertificateStore.Outcome.UNCHANGED);
    assertSameMaterial(second.material(), first);
  }

  @Test
  void aReplicaThatLosesTheCreateRaceAdoptsTheWinnersCertificate() {
    TlsMaterial winner = store(clock).ensureCurrent().material();
    // The loser read before the winner created: it sees no Secret once, then 409 on its create.
    server
        .expect()
        .get()
        .withPath(SECRET_PATH)
        .andReturn(HttpURLConnection.HTTP_NOT_FOUND, null)
        .once();

    CertificateStore.Result loser = store(clock).ensureCurrent();

    assertThat(loser.outcome()).isEqualTo(CertificateStore.Outcome.ADOPTED);
    assertSameMaterial(loser.material(), winner);
    assertSameMaterial(TlsSecretFormat.fromSecret(secret()), winner);
  }

  @Test
  void renewsTheServingCertificateInsideTheWindowAndKeepsTheCa() {
    TlsMaterial first = store(clock).ensureCurrent().material();
    clock.advance(Duration.ofDays(340));

    CertificateStore.Result renewed = store(clock).ensureCurrent();

    assertThat(renewed.outcome()).isEqualTo(CertificateStore.Outcome.RENEWED);
    assertThat(renewed.material().serving().serialNumber())
        .isNotEqualTo(first.serving().serialNumber());
    assertThat(renewed.material().signer().certificate()).isEqualTo(first.signer().certificate());
    assertThat(renewed.material().caBundlePem()).isEqualTo(first.caBundlePem());
    assertSameMaterial(TlsSecretFormat.fromSecret(secret()), renewed.material());
    assertThat(store(clock).ensureCurrent().outcome())
        .isEqualTo(CertificateStore.Outcome.UNCHANGED);
  }

  @Test
  void aReplicaThatLosesTheRenewalRaceAdoptsTheWinnersCertificate() {
    store(clock).ensureCurrent();
    Secret beforeRenewal = secret();
    clock.advance(Duration.ofDays(340));
    TlsMaterial winner = store(clock).ensureCurrent().material();
    // The loser read the Secret before the winner's update: its update carries a stale
    // resourceVersion.
    server
        .expect()
        .get()
        .withPath(SECRET_PATH)
        .andReturn(HttpURLConnection.HTTP_OK, beforeRenewal)
        .once();

    CertificateStore.Result loser = store(clock).ensureCurrent();

    assertThat(loser.outcome()).isEqualTo(CertificateStore.Outcome.ADOPTED);
    assertSameMaterial(loser.material(), winner);
    assertSameMaterial(TlsSecretFormat.fromSecret(secret()), winner);
  }

  @Test
  void anUnusableSecretIsRefilledKeepingItsTypeAndLabels() {
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(SECRET)
                .withNamespace(NAMESPACE)
                .withLabels(Map.of("app.kubernetes.io/instance", "tollgate"))
                .endMetadata()
                .withType("Opaque")
                .build())
        .create();

    CertificateStore.Result result = store(clock).ensureCurrent();

    assertThat(result.outcome()).isEqualTo(CertificateStore.Outcome.RENEWED);
    Secret secret = secret();
    assertThat(secret.getType()).isEqualTo("Opaque");
    assertThat(secret.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/instance", "tollgate");
    assertSameMaterial(TlsSecretFormat.fromSecret(secret), result.material());
  }

  private CertificateStore store(MutableClock storeClock) {
    return new CertificateStore(
        client,
        NAMESPACE,
        SECRET,
        new CertificateRotation(names, RotationPolicy.DEFAULT, storeClock));
  }

  private Secret secret() {
    return client.secrets().inNamespace(NAMESPACE).withName(SECRET).get();
  }

  private static void assertSameMaterial(TlsMaterial actual, TlsMaterial expected) {
    assertThat(actual.serving().sameAs(expected.serving())).isTrue();
    assertThat(actual.caBundle()).isEqualTo(expected.caBundle());
    assertThat(actual.signer().key().getEncoded()).isEqualTo(expected.signer().key().getEncoded());
  }
}
