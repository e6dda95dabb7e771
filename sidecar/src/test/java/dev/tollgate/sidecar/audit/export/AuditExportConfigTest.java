package dev.tollgate.sidecar.audit.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.runtime.audit.AuditExportSettings;
import dev.tollgate.runtime.audit.AuditExportSettings.Protocol;
import dev.tollgate.sidecar.ConfigException;
import dev.tollgate.sidecar.SidecarConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The export's settings as the sidecar reads them at start: good ones in, bad ones named. */
class AuditExportConfigTest {

  @TempDir Path dir;

  private static SidecarConfig config(String... args) throws ConfigException {
    String[] all = new String[args.length + 2];
    all[0] = "--bundle";
    all[1] = "/etc/tollgate/bundle/bundle.json";
    System.arraycopy(args, 0, all, 2, args.length);
    return SidecarConfig.from(Map.of(), all);
  }

  private static List<String> problems(String... args) {
    try {
      config(args);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("accepted " + List.of(args));
  }

  @Test
  void noEndpointMeansNoExport() throws Exception {
    assertThat(config().auditExport().settings()).isEmpty();
  }

  @Test
  void readsEverySettingFromTheEnvironmentAndFlags() throws Exception {
    SidecarConfig config =
        SidecarConfig.from(
            Map.of(
                "TOLLGATE_AUDIT_EXPORT_ENDPOINT", "https://logs.example.com:4318",
                "TOLLGATE_AUDIT_EXPORT_PROTOCOL", "otlp",
                "TOLLGATE_AUDIT_EXPORT_BATCH_SIZE", "100"),
            new String[] {
              "--bundle", "b.json",
              "--audit-export-flush-interval-ms", "500",
              "--audit-export-buffer-size", "1000",
              "--audit-export-timeout-ms", "3000",
              "--audit-export-max-attempts", "7"
            });

    assertThat(config.auditExport().settings())
        .contains(
            new AuditExportSettings(
                URI.create("https://logs.example.com:4318/v1/logs"),
                Protocol.OTLP,
                100,
                Duration.ofMillis(500),
                1_000,
                Duration.ofSeconds(3),
                7));
  }

  @Test
  void defaultsAreJsonLinesInBatchesOf256() throws Exception {
    AuditExportSettings settings =
        config("--audit-export-endpoint", "http://audit.logging.svc:8080/ingest")
            .auditExport()
            .settings()
            .orElseThrow();
    assertThat(settings.protocol()).isEqualTo(Protocol.HTTP);
    assertThat(settings.endpoint()).isEqualTo(URI.create("http://audit.logging.svc:8080/ingest"));
    assertThat(settings.batchSize()).isEqualTo(256);
    assertThat(settings.bufferSize()).isEqualTo(2_048);
    assertThat(settings.maxAttempts()).isEqualTo(5);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "logs.example.com:4318",
        "ftp://logs.example.com/",
        "file:///var/log/audit",
        "http://",
        "http://exa mple.com/",
        "/v1/logs"
      })
  void anEndpointThatIsNotAnHttpUrlIsRefusedByName(String endpoint) {
    assertThat(problems("--audit-export-endpoint", endpoint))
        .singleElement()
        .asString()
        .startsWith("--audit-export-endpoint (TOLLGATE_AUDIT_EXPORT_ENDPOINT) must be")
        .contains(endpoint);
  }

  @Test
  void credentialsInTheEndpointAreRefusedWithoutBeingRepeated() {
    assertThat(problems("--audit-export-endpoint", "https://user:s3cret@logs.example.com/"))
        .singleElement()
        .asString()
        .startsWith("--audit-export-endpoint (TOLLGATE_AUDIT_EXPORT_ENDPOINT) must not carry")
        .doesNotContain("s3cret");
  }

  @Test
  void anUnknownProtocolIsRefusedByName() {
    assertThat(
            problems(
                "--audit-export-endpoint",
                "http://127.0.0.1:1/",
                "--audit-export-protocol",
                "grpc"))
        .containsExactly(
            "--audit-export-protocol (TOLLGATE_AUDIT_EXPORT_PROTOCOL) must be http or otlp, got 'grpc'");
  }

  @Test
  void nonPositiveAndInconsistentSizesAreAllReportedAtOnce() {
    assertThat(
            problems(
                "--audit-export-endpoint", "http://127.0.0.1:1/",
                "--audit-export-batch-size", "0",
                "--audit-export-buffer-size", "-5",
                "--audit-export-flush-interval-ms", "0",
                "--audit-export-timeout-ms", "ten",
                "--audit-export-max-attempts", "0"))
        .containsExactlyInAnyOrder(
            "--audit-export-batch-size (TOLLGATE_AUDIT_EXPORT_BATCH_SIZE) must be between 1 and 10000, got 0",
            "--audit-export-buffer-size (TOLLGATE_AUDIT_EXPORT_BUFFER_SIZE) must be between 1 and 1000000, got -5",
            "--audit-export-flush-interval-ms (TOLLGATE_AUDIT_EXPORT_FLUSH_INTERVAL_MS) must be between 10 and 600000, got 0",
            "--audit-export-timeout-ms (TOLLGATE_AUDIT_EXPORT_TIMEOUT_MS) must be a whole number, got 'ten'",
            "--audit-export-max-attempts (TOLLGATE_AUDIT_EXPORT_MAX_ATTEMPTS) must be between 1 and 100, got 0");
    assertThat(
            problems(
                "--audit-export-endpoint", "http://127.0.0.1:1/",
                "--audit-export-batch-size", "500",
                "--audit-export-buffer-size", "100"))
        .containsExactly(
            "--audit-export-buffer-size (TOLLGATE_AUDIT_EXPORT_BUFFER_SIZE) must be at least the batch size --audit-export-batch-size (TOLLGATE_AUDIT_EXPORT_BATCH_SIZE) (500), got 100");
  }

  @Test
  void headersComeFromAMountedSecretWithoutItsBookkeepingLinks() throws Exception {
    Files.writeString(dir.resolve("Authorization"), "Bearer t0ken\n");
    Files.writeString(dir.resolve("X-Scope-OrgID"), "team-a");
    Files.createDirectory(dir.resolve("..2026_12_03_00_00_00.123"));
    Files.writeString(dir.resolve("..data"), "a Secret volume's link");

    AuditExport export =
        config(
                "--audit-export-endpoint",
                "http://127.0.0.1:1/",
                "--audit-export-headers-dir",
                dir.toString())
            .auditExport();

    assertThat(export.headers())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("Authorization", "Bearer t0ken", "X-Scope-OrgID", "team-a"));
  }

  @Test
  void headersTheExportMustNotSendAreRefusedByName() throws Exception {
    Files.writeString(dir.resolve("Host"), "evil.example.com");
    Files.writeString(dir.resolve("Content-Type"), "text/plain");
    Files.writeString(dir.resolve("X-Split"), "a\r\nX-Injected: 1");

    assertThat(
            problems(
                "--audit-export-endpoint",
                "http://127.0.0.1:1/",
                "--audit-export-headers-dir",
                dir.toString()))
        .containsExactlyInAnyOrder(
            "--audit-export-headers-dir (TOLLGATE_AUDIT_EXPORT_HEADERS_DIR) holds 'Content-Type', which is not a header name the export may send",
            "--audit-export-headers-dir (TOLLGATE_AUDIT_EXPORT_HEADERS_DIR) holds 'Host', which is not a header name the export may send",
            "--audit-export-headers-dir (TOLLGATE_AUDIT_EXPORT_HEADERS_DIR) holds header 'X-Split' whose value has control characters");
    assertThat(problems("--audit-export-headers-dir", dir.resolve("absent").toString()))
        .singleElement()
        .asString()
        .startsWith(
            "--audit-export-headers-dir (TOLLGATE_AUDIT_EXPORT_HEADERS_DIR) must be an absolute path to a directory");
  }
}
