package dev.tollgate.webhook.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes self-signed CAs and serving certificates signed by them: ECDSA P-256, SHA-256.
 *
 * <p>What it makes is what the API server (Go's crypto/x509) accepts: the CA has {@code CA:true}
 * and {@code keyCertSign}; the serving certificate names the Service in its subject alternative
 * names (the common name is not consulted) and carries {@code serverAuth}.
 */
public final class CertificateIssuer {

  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  // Nodes and the API server may run a little behind this pod's clock.
  private static final Duration BACKDATE = Duration.ofHours(1);

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public CertificateIssuer(Clock clock) {
    this.clock = clock;
  }

  /**
   * A new CA. The subject carries the creation time ({@code name@epochSeconds}, as Kubernetes names
   * its own CAs) so that an old and a new CA side by side in a bundle are told apart.
   */
  public CertificateAuthority createAuthority(String commonName, Duration validity) {
    Instant now = clock.instant();
    KeyPair keys = newKeyPair();
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "tollgate")
            .addRDN(BCStyle.CN, commonName + "@" + now.getEpochSecond())
            .build();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serialNumber(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(validity)),
                  subject,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(keys.getPublic()));
      return new CertificateAuthority(sign(builder, keys), keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create a CA certificate", e);
    }
  }

  /**
   * A serving certificate for the names, signed by the CA. It never outlives the CA: a certificate
   * valid past its issuer would fail verification in its last days anyway.
   */
  public ServingCertificate issue(
      CertificateAuthority authority, ServiceNames names, Duration validity) {
    Instant now = clock.instant();
    Instant notAfter = now.plus(validity);
    Instant authorityExpiry = authority.certificate().getNotAfter().toInstant();
    if (notAfter.isAfter(authorityExpiry)) {
      notAfter = authorityExpiry;
    }
    KeyPair keys = newKeyPair();
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "tollgate")
            .addRDN(BCStyle.CN, names.commonName())
            .build();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  authority.certificate(),
                  serialNumber(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(notAfter),
                  subject,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(Extension.subjectAlternativeName, false, alternativeNames(names))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(keys.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(authority.certificate()));
      X509Certificate certificate =
          sign(builder, new KeyPair(authority.certificate().getPublicKey(), authority.key()));
      return new ServingCertificate(keys.getPrivate(), List.of(certificate));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a serving certificate", e);
    }
  }

  private static GeneralNames alternativeNames(ServiceNames names) {
    List<GeneralName> alternatives = new ArrayList<>();
    for (String dns : names.dnsNames()) {
      alternatives.add(new GeneralName(GeneralName.dNSName, dns));
    }
    for (InetAddress ip : names.ipAddresses()) {
      alternatives.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(ip.getAddress())));
    }
    return new GeneralNames(alternatives.toArray(GeneralName[]::new));
  }

  private X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException {
    try {
      ContentSigner contentSigner =
          new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer.getPrivate());
      X509Certificate certificate =
          new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
      PublicKey issuerKey = signer.getPublic();
      certificate.verify(issuerKey);
      return certificate;
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no P-256 key pair generator", e);
    }
  }

  // Positive, at most 20 octets (RFC 5280 4.1.2.2), unpredictable.
  private BigInteger serialNumber() {
    return new BigInteger(159, random).setBit(0);
  }
}
