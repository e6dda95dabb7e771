package dev.tollgate.sidecar.events;

import dev.tollgate.sidecar.audit.AuditEvent;
import java.util.List;

/**
 * The human-readable {@code note} of an Event: tool, outcome, reasons, rules, the decision's
 * (already redacted) message and the correlation id that finds the audit line. Never the arguments,
 * not even redacted: the audit line on stdout is where those belong.
 */
final class EventNote {

  /** events.k8s.io/v1 refuses a note over 1 kB; the limit is in bytes. */
  static final int MAX_BYTES = 1_024;

  private static final String ELLIPSIS = "…";

  private EventNote() {}

  static String of(Publication publication) {
    AuditEvent event = publication.event();
    StringBuilder note = new StringBuilder();
    if (publication.folded() > 0) {
      note.append('(').append(publication.folded()).append(" similar in the last minute) ");
    }
    note.append("tool ")
        .append(event.tool() == null || event.tool().isEmpty() ? "(none)" : event.tool())
        .append(' ')
        .append(outcome(event));
    appendList(note, "reasons", event.reasons());
    appendList(note, "rules", event.rules());
    if (event.message() != null && !event.message().isBlank()) {
      note.append(": ").append(event.message().strip());
    }
    if (event.correlationId() != null && !event.correlationId().isEmpty()) {
      note.append(" [correlationId ").append(event.correlationId()).append(']');
    }
    return truncate(withoutControlCharacters(note), MAX_BYTES);
  }

  /**
   * {@code text} cut to at most {@code maxBytes} of UTF-8, never inside a character, marked with an
   * ellipsis.
   */
  static String truncate(String text, int maxBytes) {
    if (utf8Length(text, text.length()) <= maxBytes) {
      return text;
    }
    int budget = maxBytes - utf8Length(ELLIPSIS, ELLIPSIS.length());
    int bytes = 0;
    int end = 0;
    while (end < text.length()) {
      int codePoint = text.codePointAt(end);
      int size = utf8Size(codePoint);
      if (bytes + size > budget) {
        break;
      }
      bytes += size;
      end += Character.charCount(codePoint);
    }
    return text.substring(0, end) + ELLIPSIS;
  }

  private static int utf8Length(String text, int end) {
    int bytes = 0;
    for (int i = 0; i < end; ) {
      int codePoint = text.codePointAt(i);
      bytes += utf8Size(codePoint);
      i += Character.charCount(codePoint);
    }
    return bytes;
  }

  // A lone surrogate is encoded as one '?' byte; counting it as three only errs short.
  private static int utf8Size(int codePoint) {
    if (codePoint < 0x80) {
      return 1;
    }
    if (codePoint < 0x800) {
      return 2;
    }
    return codePoint < 0x10000 ? 3 : 4;
  }

  private static String outcome(AuditEvent event) {
    return switch (event.type()) {
      case DENIED -> "denied";
      case APPROVAL_REQUESTED -> "needs approval";
      case APPROVED -> "approved";
      case REJECTED -> "rejected";
      default -> event.type().wireName();
    };
  }

  private static void appendList(StringBuilder note, String label, List<String> values) {
    if (values != null && !values.isEmpty()) {
      note.append("; ").append(label).append(' ').append(String.join(", ", values));
    }
  }

  // kubectl prints the note on one line; a newline from a message would break the table.
  private static String withoutControlCharacters(CharSequence text) {
    StringBuilder clean = new StringBuilder(text.length());
    text.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    return clean.toString();
  }
}
