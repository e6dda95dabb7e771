package dev.tollgate.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A key pair mounted from a Secret (cert-manager's), replaced the way the kubelet replaces it. */
class FileTlsTest {

  private static final String WATCHER_THREAD = "tollgate-webhook-tls-files";

  @TempDir Path mount;

  private final CertificateIssuer issuer = new CertificateIssuer(Clock.systemUTC());
  private final CertificateAuthority ca =
      issuer.createAuthority("cert-manager-ca", Duration.ofDays(30));
  private final ServiceNames names =
      ServiceNames.of("tollgate-webhook", "tollgate-system")
          .withIpAddresses(InetAddress.getLoopbackAddress());
  private int generation;

  @AfterEach
  void theWatcherThreadIsStopped() {
    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .doesNotContain(WATCHER_THREAD);
  }

  @Test
  void servesTheMountedPairAndReloadsItWhenTheKubeletSwapsTheFiles() throws Exception {
    ServingCertificate first = issuer.issue(ca, names, Duration.ofDays(1));
    mountKubeletStyle(first.chain(), first.key());
    try (FileTls tls = new FileTls(mount, Duration.ofMillis(100));
        HttpsTestServer server = new HttpsTestServer(tls.start())) {
      assertThat(serialServed(server)).isEqualTo(first.serialNumber());

      ServingCertificate second = issuer.issue(ca, names, Duration.ofDays(1));
      mountKubeletStyle(second.chain(), second.key());

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> serialServed(server).equals(second.serialNumber()));
      assertThat(tls.current().serialNumber()).isEqualTo(second.serialNumber());
    }
  }

  @Test
  void aMismatchedPairIsNotServedUntilTheKeyCatchesUp() throws Exception {
    ServingCertificate first = issuer.issue(ca, names, Duration.ofDays(1));
    mountKubeletStyle(first.chain(), first.key());
    try (FileTls tls = new FileTls(mount, Duration.ofDays(1))) {
      tls.start();
      ServingCertificate second = issuer.issue(ca, names, Duration.ofDays(1));

      // A writer that is not atomic: the certificate is new, the key still old.
      mountKubeletStyle(second.chain(), first.key());
      tls.check();
      assertThat(tls.current().serialNumber()).isEqualTo(first.serialNumber());

      mountKubeletStyle(second.chain(), second.key());
      tls.check();
      assertThat(tls.current().serialNumber()).isEqualTo(second.serialNumber());
    }
  }

  private BigInteger serialServed(HttpsTestServer server) throws IOException {
    return TlsProbe.get(server.port(), List.of(ca.certificate())).certificate().getSerialNumber();
  }

  /**
   * What the kubelet's atomic writer does: the files live in a timestamped directory, {@code
   * ..data} links to it, {@code tls.crt} links to {@code ..data/tls.crt}; an update writes a new
   * directory and renames a new link over {@code ..data}.
   */
  private void mountKubeletStyle(List<X509Certificate> chain, PrivateKey key) throws IOException {
    Path data = Files.createDirectory(mount.resolve("..2026_03_01_12_00_00." + generation++));
    Files.writeString(
        data.resolve(FileTls.CERTIFICATE_FILE),
        Pem.encodeCertificates(chain),
        StandardCharsets.US_ASCII);
    Files.writeString(
        data.resolve(FileTls.KEY_FILE), Pem.encodePrivateKey(key), StandardCharsets.US_ASCII);
    Path link = Files.createSymbolicLink(mount.resolve("..data_tmp"), data.getFileName());
    Files.move(link, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    for (String file : List.of(FileTls.CERTIFICATE_FILE, FileTls.KEY_FILE)) {
      if (!Files.isSymbolicLink(mount.resolve(file))) {
        Files.createSymbolicLink(mount.resolve(file), Path.of("..data", file));
      }
    }
  }
}
