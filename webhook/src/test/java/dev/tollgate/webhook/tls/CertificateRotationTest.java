package dev.tollgate.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CertificateRotationTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final ServiceNames names = ServiceNames.of("tollgate-webhook", "tollgate-system");
  private final CertificateRotation rotation =
      new CertificateRotation(names, RotationPolicy.DEFAULT, clock);

  @Test
  void nothingIsDueForFreshMaterial() {
    TlsMaterial fresh = rotation.fresh();
    clock.advance(Duration.ofDays(300));

    assertThat(rotation.next(fresh)).isSameAs(fresh);
  }

  @Test
  void servingCertificateInsideItsWindowIsRenewedUnderTheSameCa() {
    TlsMaterial fresh = rotation.fresh();
    clock.advance(Duration.ofDays(336));

    TlsMaterial next = rotation.next(fresh);

    assertThat(next.serving().serialNumber()).isNotEqualTo(fresh.serving().serialNumber());
    assertThat(next.signer().certificate()).isEqualTo(fresh.signer().certificate());
    assertThat(next.caBundle()).containsExactly(fresh.signer().certificate());
    assertThat(next.serving().certificate().getNotAfter().toInstant())
        .isEqualTo(clock.instant().plus(Duration.ofDays(365)));
  }

  @Test
  void servingCertificateMissingARequiredNameIsRenewed() {
    TlsMaterial fresh = rotation.fresh();
    CertificateRotation renamed =
        new CertificateRotation(
            names.withExtraDnsNames("webhook.example"), RotationPolicy.DEFAULT, clock);

    TlsMaterial next = renamed.next(fresh);

    assertThat(next.serving().serialNumber()).isNotEqualTo(fresh.serving().serialNumber());
    assertThat(next.signer()).isEqualTo(fresh.signer());
    assertThat(renamed.next(next)).isSameAs(next);
  }

  @Test
  void caInsideItsWindowJoinsTheBundleAndSignsFromTheNextServingRenewal() {
    TlsMaterial first = rotation.fresh();
    // Keep the serving certificate current while time runs towards the CA's window.
    TlsMaterial material = first;
    for (int year = 0; year < 9; year++) {
      clock.advance(Duration.ofDays(336));
      material = rotation.next(material);
    }
    assertThat(material.signer()).isEqualTo(first.signer());
    clock.advance(
        Duration.ofDays(
            300)); // within a year of the CA's expiry; the serving certificate is not due

    TlsMaterial rotated = rotation.next(material);

    assertThat(rotated.signer().certificate()).isNotEqualTo(first.signer().certificate());
    assertThat(rotated.caBundle())
        .containsExactly(rotated.signer().certificate(), first.signer().certificate());
    assertThat(rotated.serving()).isSameAs(material.serving());

    clock.advance(Duration.ofDays(40)); // the serving certificate is due
    TlsMaterial renewed = rotation.next(rotated);
    assertThat(renewed.serving().certificate().getIssuerX500Principal())
        .isEqualTo(rotated.signer().certificate().getSubjectX500Principal());
    assertThat(renewed.caBundle()).hasSize(2);

    clock.advance(Duration.ofDays(300)); // the old CA has expired
    TlsMaterial pruned = rotation.next(renewed);
    assertThat(pruned.caBundle()).containsExactly(rotated.signer().certificate());
  }

  @Test
  void aServingCertificateFromAnUnknownCaIsReplaced() {
    TlsMaterial ours = rotation.fresh();
    TlsMaterial theirs = rotation.fresh();
    TlsMaterial mixed = new TlsMaterial(ours.signer(), ours.caBundle(), theirs.serving());

    TlsMaterial next = rotation.next(mixed);

    assertThat(next.serving().certificate().getIssuerX500Principal())
        .isEqualTo(ours.signer().certificate().getSubjectX500Principal());
  }

  @Test
  void policyRefusesWindowsThatCannotWork() {
    assertThatThrownBy(
            () ->
                new RotationPolicy(
                    Duration.ofDays(10),
                    Duration.ofDays(10),
                    Duration.ofDays(5),
                    Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new RotationPolicy(
                    Duration.ofDays(3650),
                    Duration.ofDays(40),
                    Duration.ofDays(365),
                    Duration.ofDays(30)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(RotationPolicy.withServingRenewBefore(Duration.ofDays(60)).servingRenewBefore())
        .isEqualTo(Duration.ofDays(60));
  }
}
