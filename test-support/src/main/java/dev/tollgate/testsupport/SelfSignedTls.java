package dev.tollgate.testsupport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A server certificate made for one test by {@code openssl}, self-signed, valid for the addresses
 * the test serves on: its PEM is what a client is told to trust (a ToolScope's {@code caBundle},
 * git's {@code GIT_SSL_CAINFO}).
 */
public final class SelfSignedTls {

  private final String certificatePem;
  private final SSLContext serverContext;
  private final Path certificateFile;

  private SelfSignedTls(String certificatePem, SSLContext serverContext, Path certificateFile) {
    this.certificatePem = certificatePem;
    this.serverContext = serverContext;
    this.certificateFile = certificateFile;
  }

  /** A certificate for {@code addresses} (IP subject alternative names), its files under dir. */
  public static SelfSignedTls forAddresses(Path dir, List<InetAddress> addresses)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path key = dir.resolve("server.key");
    Path cert = dir.resolve("server.crt");
    List<String> names = new ArrayList<>();
    for (InetAddress address : addresses) {
      names.add("IP:" + address.getHostAddress());
    }
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=tollgate-test-upstream",
                "-addext",
                "subjectAltName=" + String.join(",", names),
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
      openssl.destroyForcibly();
      throw new IOException("openssl could not make a test certificate: " + output);
    }
    String pem = Files.readString(cert, StandardCharsets.US_ASCII);
    try {
      return new SelfSignedTls(pem, serverContext(pem, Files.readString(key)), cert);
    } catch (GeneralSecurityException e) {
      throw new IOException("the test certificate cannot be loaded: " + e.getMessage(), e);
    }
  }

  /** The certificate in PEM: the one trust root a client needs. */
  public String certificatePem() {
    return certificatePem;
  }

  /** The certificate's PEM file, for clients that take a path (git's GIT_SSL_CAINFO). */
  public Path certificateFile() {
    return certificateFile;
  }

  /** The server side: presents the certificate. */
  public SSLContext serverContext() {
    return serverContext;
  }

  private static SSLContext serverContext(String certificatePem, String keyPem)
      throws GeneralSecurityException, IOException {
    Certificate certificate =
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
    String base64 = keyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key =
        KeyFactory.getInstance("EC")
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] password = "test".toCharArray();
    store.setKeyEntry("server", key, password, new Certificate[] {certificate});
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }
}
