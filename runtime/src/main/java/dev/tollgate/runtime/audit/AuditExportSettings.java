package dev.tollgate.runtime.audit;

import dev.tollgate.runtime.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the sidecar sends a copy of its audit records besides its stdout, and how. The sidecar
 * reads these variables from its own environment; the webhook reads the same variables from its own
 * (the chart's {@code sidecar.auditExport.*}), validates them with this same code at its start and
 * copies them into every sidecar it injects, so a bad value stops the webhook, not every agent pod.
 *
 * @param endpoint where batches are POSTed: an absolute http or https URL without credentials (they
 *     go in headers); for {@code otlp} a URL without a path gets {@code /v1/logs}
 * @param protocol {@code http}: JSON lines ({@code application/x-ndjson}), one record per line as
 *     on stdout; {@code otlp}: OpenTelemetry logs over OTLP/HTTP, JSON encoding
 * @param batchSize at most this many records per request
 * @param flushInterval a partial batch waits at most this long
 * @param bufferSize records waiting for export; when full the oldest is dropped from the export
 *     (stdout still has it) and counted
 * @param timeout connecting and waiting for each answer
 * @param maxAttempts tries per batch before it is counted undeliverable (429, 5xx and network
 *     errors are retried with backoff; other answers are not)
 */
public record AuditExportSettings(
    URI endpoint,
    Protocol protocol,
    int batchSize,
    Duration flushInterval,
    int bufferSize,
    Duration timeout,
    int maxAttempts) {

  public static final String ENDPOINT = "TOLLGATE_AUDIT_EXPORT_ENDPOINT";
  public static final String PROTOCOL = "TOLLGATE_AUDIT_EXPORT_PROTOCOL";
  public static final String BATCH_SIZE = "TOLLGATE_AUDIT_EXPORT_BATCH_SIZE";
  public static final String FLUSH_INTERVAL_MS = "TOLLGATE_AUDIT_EXPORT_FLUSH_INTERVAL_MS";
  public static final String BUFFER_SIZE = "TOLLGATE_AUDIT_EXPORT_BUFFER_SIZE";
  public static final String TIMEOUT_MS = "TOLLGATE_AUDIT_EXPORT_TIMEOUT_MS";
  public static final String MAX_ATTEMPTS = "TOLLGATE_AUDIT_EXPORT_MAX_ATTEMPTS";

  /**
   * The sidecar's directory of request headers, one file per header (a mounted Secret); the webhook
   * sets it when the chart names a headers Secret.
   */
  public static final String HEADERS_DIR = "TOLLGATE_AUDIT_EXPORT_HEADERS_DIR";

  /**
   * PEM certificates the sidecar trusts for an https endpoint instead of the JDK's roots (a
   * receiver with a private CA); the webhook copies the chart's value into every sidecar.
   */
  public static final String CA_BUNDLE = "TOLLGATE_AUDIT_EXPORT_CA_BUNDLE";

  /** The flags, each overriding its variable; both binaries accept them. */
  public static final Map<String, String> FLAGS =
      Map.of(
          "--audit-export-endpoint", ENDPOINT,
          "--audit-export-protocol", PROTOCOL,
          "--audit-export-batch-size", BATCH_SIZE,
          "--audit-export-flush-interval-ms", FLUSH_INTERVAL_MS,
          "--audit-export-buffer-size", BUFFER_SIZE,
          "--audit-export-timeout-ms", TIMEOUT_MS,
          "--audit-export-max-attempts", MAX_ATTEMPTS);

  private static final String OTLP_LOGS_PATH = "/v1/logs";

  /** How batches are encoded. */
  public enum Protocol {
    HTTP("http"),
    OTLP("otlp");

    public final String wireName;

    Protocol(String wireName) {
      this.wireName = wireName;
    }

    static Protocol of(String wireName) {
      return wireName.equals(OTLP.wireName) ? OTLP : HTTP;
    }
  }

  /**
   * Reads and validates; problems go to {@code settings} by flag and variable. Empty when no
   * endpoint is set (no export), whatever the other settings say, though they are still checked.
   */
  public static Optional<AuditExportSettings> read(Settings settings) {
    Protocol protocol =
        Protocol.of(
            settings.choice(
                PROTOCOL, Protocol.HTTP.wireName, List.of(Protocol.HTTP.wireName, "otlp")));
    int batch = (int) settings.number(BATCH_SIZE, 256, 1, 10_000);
    long flushMs = settings.number(FLUSH_INTERVAL_MS, 2_000, 10, 600_000);
    int buffer = (int) settings.number(BUFFER_SIZE, 2_048, 1, 1_000_000);
    long timeoutMs = settings.number(TIMEOUT_MS, 10_000, 100, 600_000);
    int attempts = (int) settings.number(MAX_ATTEMPTS, 5, 1, 100);
    if (buffer < batch) {
      settings.problem(
          BUFFER_SIZE,
          "must be at least the batch size "
              + settings.describe(BATCH_SIZE)
              + " ("
              + batch
              + "), got "
              + buffer);
    }
    Optional<String> text = settings.find(ENDPOINT);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    URI endpoint = endpoint(settings, text.get(), protocol);
    return endpoint == null
        ? Optional.empty()
        : Optional.of(
            new AuditExportSettings(
                endpoint,
                protocol,
                batch,
                Duration.ofMillis(flushMs),
                buffer,
                Duration.ofMillis(timeoutMs),
                attempts));
  }

  private static URI endpoint(Settings settings, String text, Protocol protocol) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      settings.problem(ENDPOINT, "must be an http or https URL, got '" + text + "'");
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      settings.problem(
          ENDPOINT, "must be an absolute http or https URL with a host, got '" + text + "'");
      return null;
    }
    if (uri.getRawUserInfo() != null) {
      // It would be copied into every pod spec in clear; credentials come from a Secret instead.
      settings.problem(
          ENDPOINT, "must not carry credentials (user:password@); put them in the headers Secret");
      return null;
    }
    if (uri.getRawFragment() != null) {
      settings.problem(ENDPOINT, "must not have a fragment, got '" + text + "'");
      return null;
    }
    if (protocol == Protocol.OTLP && (uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
      return URI.create(text + OTLP_LOGS_PATH);
    }
    return uri;
  }

  /** The variables that give a sidecar these settings (the webhook injects them). */
  public Map<String, String> toEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(ENDPOINT, endpoint.toString());
    env.put(PROTOCOL, protocol.wireName);
    env.put(BATCH_SIZE, Integer.toString(batchSize));
    env.put(FLUSH_INTERVAL_MS, Long.toString(flushInterval.toMillis()));
    env.put(BUFFER_SIZE, Integer.toString(bufferSize));
    env.put(TIMEOUT_MS, Long.toString(timeout.toMillis()));
    env.put(MAX_ATTEMPTS, Integer.toString(maxAttempts));
    return env;
  }
}
