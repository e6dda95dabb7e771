package dev.tollgate.webhook.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM text for certificates and private keys, through BouncyCastle's writer and parser.
 *
 * <p>Keys are written as PKCS#8 ({@code PRIVATE KEY}); reading also accepts the SEC1 and PKCS#1
 * forms ({@code EC PRIVATE KEY}, {@code RSA PRIVATE KEY}) that cert-manager and openssl write.
 * Conversions use the JDK's providers, so BouncyCastle is never registered as a JCA provider.
 */
public final class Pem {

  private Pem() {}

  public static String encodeCertificates(List<X509Certificate> certificates) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      for (X509Certificate certificate : certificates) {
        writer.writeObject(certificate);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  public static String encodeCertificate(X509Certificate certificate) {
    return encodeCertificates(List.of(certificate));
  }

  public static String encodePrivateKey(PrivateKey key) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /** Every certificate in the text, in order; other PEM objects are an error. */
  public static List<X509Certificate> decodeCertificates(String pem) {
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    List<X509Certificate> certificates = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (!(object instanceof X509CertificateHolder holder)) {
          throw new IllegalArgumentException(
              "expected only certificates in PEM, found " + object.getClass().getSimpleName());
        }
        certificates.add(converter.getCertificate(holder));
      }
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException("unreadable certificate PEM: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("no certificate in PEM");
    }
    return List.copyOf(certificates);
  }

  /** The first private key in the text. */
  public static PrivateKey decodePrivateKey(String pem) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (object instanceof PEMKeyPair pair) {
          // SEC1 keys may leave out the public key, which only the key-pair conversion needs.
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable private key PEM: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("no private key in PEM");
  }
}
