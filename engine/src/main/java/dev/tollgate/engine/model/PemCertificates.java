package dev.tollgate.engine.model;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads a PEM bundle of CA certificates ({@code spec.gitRemotes[].caBundle}) the way the sidecar
 * will, so one that cannot serve as a trust root is refused where it is written, not at the first
 * fetch.
 */
public final class PemCertificates {

  /** The PEM block every certificate starts with. */
  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";

  private PemCertificates() {}

  /**
   * The X.509 certificates of {@code pem}.
   *
   * @throws CertificateException naming what is wrong: no certificate, or one that does not parse
   */
  public static List<X509Certificate> parse(String pem) throws CertificateException {
    if (pem == null || !pem.contains(BEGIN)) {
      throw new CertificateException("holds no PEM certificate (" + BEGIN + ")");
    }
    Collection<? extends Certificate> read =
        CertificateFactory.getInstance("X.509")
            .generateCertificates(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    List<X509Certificate> certificates = new ArrayList<>();
    for (Certificate certificate : read) {
      certificates.add((X509Certificate) certificate);
    }
    if (certificates.isEmpty()) {
      throw new CertificateException("holds no PEM certificate");
    }
    return certificates;
  }

  /** Whether {@code pem} is a usable bundle; records a problem at {@code path} when not. */
  static boolean check(SpecReader r, String path, String pem) {
    try {
      parse(pem);
      return true;
    } catch (CertificateException | RuntimeException e) {
      r.problem(path, "is not a PEM bundle of X.509 certificates: " + e.getMessage());
      return false;
    }
  }
}
