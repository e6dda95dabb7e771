package dev.tollgate.webhook.tls;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * How long certificates live and how early they are replaced.
 *
 * <p>The CA is replaced long before it expires ({@code caRenewBefore}) and the serving certificate
 * shortly before ({@code servingRenewBefore}). A new CA joins the bundle at once but signs nothing
 * until the serving certificate is next due, which is at the latest {@code servingRenewBefore}
 * before the old CA expires (serving certificates never outlive their CA); so the API server has
 * had {@code caRenewBefore - servingRenewBefore} to learn the new CA before it is first presented.
 * That is why {@code caRenewBefore} must exceed {@code servingRenewBefore} by a margin.
 */
public record RotationPolicy(
    Duration caValidity,
    Duration caRenewBefore,
    Duration servingValidity,
    Duration servingRenewBefore) {

  public static final RotationPolicy DEFAULT =
      new RotationPolicy(
          Duration.ofDays(3650), Duration.ofDays(365), Duration.ofDays(365), Duration.ofDays(30));

  public RotationPolicy {
    requirePositive(caValidity, "caValidity");
    requirePositive(caRenewBefore, "caRenewBefore");
    requirePositive(servingValidity, "servingValidity");
    requirePositive(servingRenewBefore, "servingRenewBefore");
    if (caRenewBefore.compareTo(caValidity) >= 0
        || servingRenewBefore.compareTo(servingValidity) >= 0) {
      throw new IllegalArgumentException(
          "a certificate must be renewed before it expires, not at issuance");
    }
    if (caRenewBefore.compareTo(servingRenewBefore.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "caRenewBefore must be at least twice servingRenewBefore, so a new CA is "
              + "in the bundle well before it signs the serving certificate");
    }
  }

  /** The default lifetimes with another serving renewal window (the chart's knob). */
  public static RotationPolicy withServingRenewBefore(Duration servingRenewBefore) {
    return new RotationPolicy(
        DEFAULT.caValidity, DEFAULT.caRenewBefore, DEFAULT.servingValidity, servingRenewBefore);
  }

  public boolean caDue(X509Certificate ca, Instant now) {
    return !now.isBefore(ca.getNotAfter().toInstant().minus(caRenewBefore));
  }

  public boolean servingDue(X509Certificate serving, Instant now) {
    return !now.isBefore(serving.getNotAfter().toInstant().minus(servingRenewBefore));
  }

  private static void requirePositive(Duration duration, String name) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
