package dev.tollgate.sidecar.audit.export;

import static dev.tollgate.sidecar.audit.export.ExportEvents.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tollgate.sidecar.ConfigException;
import dev.tollgate.sidecar.SidecarConfig;
import dev.tollgate.sidecar.audit.export.AuditExporter.Backoff;
import dev.tollgate.sidecar.audit.export.ExportMeter.Failure;
import dev.tollgate.sidecar.core.PodContext;
import dev.tollgate.testsupport.SelfSignedTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An https receiver whose certificate only {@code --audit-export-ca-bundle} vouches for. */
class AuditExportTlsTest {

  private static final PodContext POD =
      new PodContext("agent-7", "team-a", "alice", List.of(), "/home/agent");

  @TempDir Path dir;
  private SelfSignedTls tls;
  private HttpsServer receiver;
  private final AtomicInteger received = new AtomicInteger();
  private final CountingMeter meter = new CountingMeter();
  private AuditExporter exporter;

  @BeforeEach
  void start() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    tls = SelfSignedTls.forAddresses(dir.resolve("tls"), List.of(loopback));
    receiver = HttpsServer.create(new InetSocketAddress(loopback, 0), 0);
    receiver.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
    receiver.createContext(
        "/",
        exchange -> {
          try (exchange) {
            received.addAndGet(
                (int) new String(exchange.getRequestBody().readAllBytes()).lines().count());
            exchange.sendResponseHeaders(200, -1);
          }
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.close();
    }
    receiver.stop(0);
  }

  private AuditExport export(String... extra) throws ConfigException {
    String[] args = new String[extra.length + 6];
    args[0] = "--bundle";
    args[1] = "/etc/tollgate/bundle/bundle.json";
    args[2] = "--audit-export-endpoint";
    args[3] = "https://127.0.0.1:" + receiver.getAddress().getPort() + "/audit";
    args[4] = "--audit-export-flush-interval-ms";
    args[5] = "50";
    System.arraycopy(extra, 0, args, 6, extra.length);
    return SidecarConfig.from(Map.of(), args).auditExport();
  }

  private AuditExporter exporter(AuditExport export) {
    exporter =
        new AuditExporter(
            export,
            POD,
            Clock.systemUTC(),
            meter,
            new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)));
    return exporter;
  }

  @Test
  void aReceiverWithAPrivateCaIsReachedThroughTheCaBundle() throws Exception {
    AuditExporter exporter = exporter(export("--audit-export-ca-bundle", tls.certificatePem()));
    events(5).forEach(exporter::write);

    await().atMost(Duration.ofSeconds(10)).until(() -> meter.sent.get() == 5);
    assertThat(received.get()).isEqualTo(5);
  }

  @Test
  void withoutTheCaBundleTheReceiverIsNotTrustedAndNothingIsSent() throws Exception {
    AuditExporter exporter = exporter(export("--audit-export-max-attempts", "2"));
    events(5).forEach(exporter::write);

    await().atMost(Duration.ofSeconds(10)).until(() -> meter.failed(Failure.UNREACHABLE) == 5);
    assertThat(received.get()).isZero();
  }

  @Test
  void aCaBundleThatIsNotPemIsRefusedByName() {
    assertThatThrownBy(() -> export("--audit-export-ca-bundle", "not a certificate"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .asString()
                    .startsWith(
                        "--audit-export-ca-bundle (TOLLGATE_AUDIT_EXPORT_CA_BUNDLE) must be PEM certificates"));
  }
}
