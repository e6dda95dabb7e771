package dev.tollgate.operator.approval;

import static java.time.temporal.ChronoField.NANO_OF_SECOND;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;

/**
 * A ToolCallApproval's {@code spec.expiresAt} as written, and the instant it names when it is an
 * RFC 3339 date-time. Stricter than ISO 8601 on purpose (seconds and an offset are required): a
 * value the operator reads one way and the sidecar another could stretch an approval's life.
 */
public final class ExpiresAt {

  private static final DateTimeFormatter RFC_3339 =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral('T')
          .appendPattern("HH:mm:ss")
          .optionalStart()
          .appendFraction(NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .appendOffset("+HH:MM", "Z")
          .toFormatter()
          .withResolverStyle(ResolverStyle.STRICT);

  private final String raw;
  private final Instant instant;

  private ExpiresAt(String raw, Instant instant) {
    this.raw = raw;
    this.instant = instant;
  }

  public static ExpiresAt parse(String raw) {
    if (raw == null || raw.isBlank()) {
      return new ExpiresAt(raw, null);
    }
    try {
      return new ExpiresAt(raw, OffsetDateTime.parse(raw, RFC_3339).toInstant());
    } catch (DateTimeParseException e) {
      return new ExpiresAt(raw, null);
    }
  }

  /** Empty when the value is missing or not an RFC 3339 date-time. */
  public Optional<Instant> instant() {
    return Optional.ofNullable(instant);
  }

  public String raw() {
    return raw;
  }
}
