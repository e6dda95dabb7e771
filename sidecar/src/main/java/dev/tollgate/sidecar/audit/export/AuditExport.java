package dev.tollgate.sidecar.audit.export;

import dev.tollgate.runtime.audit.AuditExportSettings;
import dev.tollgate.runtime.config.Settings;
import dev.tollgate.sidecar.tls.PemTrust;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * The sidecar's audit export: the cluster-wide settings the webhook injected, and the request
 * headers (credentials, tenant ids) read once at start from a mounted Secret.
 *
 * @param settings empty when nothing is exported
 * @param headers header name to value, from {@code --audit-export-headers-dir}: one file per
 *     header, named as the header, holding its value (a Secret's keys mounted as a volume)
 * @param trust for an https endpoint, a TLS context trusting only {@code --audit-export-ca-bundle};
 *     empty: the JDK's default roots
 */
public record AuditExport(
    Optional<AuditExportSettings> settings,
    Map<String, String> headers,
    Optional<SSLContext> trust) {

  private static final String HEADERS_DIR = AuditExportSettings.HEADERS_DIR;

  /** The export's flags: the shared ones and the sidecar's headers directory. */
  public static final Map<String, String> FLAGS = flags();

  // RFC 9110 token characters; the JDK client refuses the headers it sets itself.
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Set<String> RESERVED =
      Set.of("connection", "content-length", "content-type", "expect", "host", "upgrade");

  public AuditExport {
    headers = Map.copyOf(headers);
  }

  public AuditExport(Optional<AuditExportSettings> settings, Map<String, String> headers) {
    this(settings, headers, Optional.empty());
  }

  public static AuditExport none() {
    return new AuditExport(Optional.empty(), Map.of());
  }

  /** Reads and validates; problems go to {@code settings}. */
  public static AuditExport read(Settings settings) {
    Optional<AuditExportSettings> export = AuditExportSettings.read(settings);
    Map<String, String> headers = new TreeMap<>();
    settings.find(HEADERS_DIR).ifPresent(dir -> readHeaders(settings, dir, headers));
    Optional<SSLContext> trust =
        settings.find(AuditExportSettings.CA_BUNDLE).flatMap(pem -> trust(settings, pem));
    return new AuditExport(export, headers, trust);
  }

  private static Optional<SSLContext> trust(Settings settings, String pem) {
    try {
      return Optional.of(PemTrust.clientContext(pem));
    } catch (GeneralSecurityException | RuntimeException e) {
      settings.problem(
          AuditExportSettings.CA_BUNDLE, "must be PEM certificates: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static void readHeaders(Settings settings, String dir, Map<String, String> headers) {
    Path path = Path.of(dir);
    if (!path.isAbsolute() || !Files.isDirectory(path)) {
      settings.problem(HEADERS_DIR, "must be an absolute path to a directory, got '" + dir + "'");
      return;
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(path)) {
      // A mounted Secret also holds ..data and ..<timestamp> links: only its keys are headers.
      files =
          listing.filter(file -> !file.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      settings.problem(HEADERS_DIR, "cannot be listed: " + e.getMessage());
      return;
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (!HEADER_NAME.matcher(name).matches()
          || RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
        settings.problem(
            HEADERS_DIR, "holds '" + name + "', which is not a header name the export may send");
        continue;
      }
      try {
        String value = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
          settings.problem(
              HEADERS_DIR, "holds header '" + name + "' whose value has control characters");
          continue;
        }
        headers.put(name, value);
      } catch (IOException e) {
        settings.problem(HEADERS_DIR, "holds header '" + name + "', unreadable: " + e);
      }
    }
  }

  private static Map<String, String> flags() {
    Map<String, String> flags = new HashMap<>(AuditExportSettings.FLAGS);
    flags.put("--audit-export-headers-dir", HEADERS_DIR);
    flags.put("--audit-export-ca-bundle", AuditExportSettings.CA_BUNDLE);
    return Map.copyOf(flags);
  }
}
