package dev.tollgate.webhook.tls;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Decides what the Secret should hold next: nothing new, a new serving certificate, or a new CA
 * (and with it, when due, a new serving certificate). Pure: Kubernetes is the store's business.
 */
public final class CertificateRotation {

  static final String CA_COMMON_NAME = "tollgate-webhook-ca";
  private static final Logger LOG = Logger.getLogger(CertificateRotation.class.getName());

  private final CertificateIssuer issuer;
  private final RotationPolicy policy;
  private final ServiceNames names;
  private final Clock clock;

  public CertificateRotation(ServiceNames names, RotationPolicy policy, Clock clock) {
    this.issuer = new CertificateIssuer(clock);
    this.policy = policy;
    this.names = names;
    this.clock = clock;
  }

  public ServiceNames names() {
    return names;
  }

  /** A new CA and a serving certificate signed by it. */
  public TlsMaterial fresh() {
    CertificateAuthority authority = issuer.createAuthority(CA_COMMON_NAME, policy.caValidity());
    return new TlsMaterial(
        authority,
        List.of(authority.certificate()),
        issuer.issue(authority, names, policy.servingValidity()));
  }

  /** {@code current} itself when nothing is due; otherwise what should replace it. */
  public TlsMaterial next(TlsMaterial current) {
    Instant now = clock.instant();
    CertificateAuthority signer = current.signer();
    List<X509Certificate> bundle = new ArrayList<>(current.caBundle());
    boolean changed = false;

    if (policy.caDue(signer.certificate(), now)) {
      // The old CA stays trusted until it expires: the serving certificate it signed is still in
      // use.
      signer = issuer.createAuthority(CA_COMMON_NAME, policy.caValidity());
      bundle.add(0, signer.certificate());
      changed = true;
      LOG.info(
          "the webhook CA expires on "
              + current.signer().certificate().getNotAfter()
              + "; added a new CA to the bundle");
    }
    if (bundle.removeIf(ca -> ca.getNotAfter().toInstant().isBefore(now))) {
      changed = true;
    }

    ServingCertificate serving = current.serving();
    String reason = servingRenewalReason(serving.certificate(), bundle, now);
    if (reason != null) {
      serving = issuer.issue(signer, names, policy.servingValidity());
      changed = true;
      LOG.info(
          "issued a new webhook serving certificate (serial "
              + serving.serialNumber().toString(16)
              + "): "
              + reason);
    }
    return changed ? new TlsMaterial(signer, bundle, serving) : current;
  }

  private String servingRenewalReason(
      X509Certificate serving, List<X509Certificate> bundle, Instant now) {
    if (policy.servingDue(serving, now)) {
      return "the previous one expires on " + serving.getNotAfter();
    }
    if (!names.coveredBy(serving)) {
      return "the previous one does not name " + names.dnsNames() + " " + names.ipAddresses();
    }
    if (!signedByAny(serving, bundle)) {
      return "the previous one was not signed by a CA in the bundle";
    }
    return null;
  }

  private static boolean signedByAny(
      X509Certificate certificate, List<X509Certificate> authorities) {
    for (X509Certificate authority : authorities) {
      if (!authority.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
        continue;
      }
      try {
        certificate.verify(authority.getPublicKey());
        return true;
      } catch (GeneralSecurityException e) {
        // Same name, another key: keep looking.
      }
    }
    return false;
  }
}
