package dev.tollgate.sidecar.events;

import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.AuditEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Folds repeats: the first event of a kind (type, tool, reasons, rules) is published at once and
 * opens a window; repeats within the window are only counted, and when the window ends one summary
 * Event says how many there were. An agent stuck in a loop thus costs two Events a minute per kind,
 * and no repeat goes unreported. Not thread-safe: the worker owns it.
 */
final class SimilarEventFolder {

  static final Duration WINDOW = Duration.ofSeconds(60);
  static final int MAX_KINDS = 1_000;

  // Insertion order is window start order, so expired windows are always at the head.
  private final Map<Kind, Window> windows = new LinkedHashMap<>();
  private final Duration window;
  private final int maxKinds;

  SimilarEventFolder() {
    this(WINDOW, MAX_KINDS);
  }

  SimilarEventFolder(Duration window, int maxKinds) {
    this.window = window;
    this.maxKinds = maxKinds;
  }

  /**
   * What to publish now that {@code event} arrived: summaries of ended windows, then the event
   * unless folded.
   */
  List<Publication> offer(AuditEvent event, Instant now) {
    List<Publication> out = expire(now);
    Kind kind = Kind.of(event);
    Window open = windows.get(kind);
    if (open != null) {
      open.fold(event);
      return out;
    }
    // Agent-chosen tool names make kinds unbounded: the oldest window ends early instead.
    if (windows.size() >= maxKinds) {
      Iterator<Window> oldest = windows.values().iterator();
      oldest.next().summary().ifPresent(out::add);
      oldest.remove();
    }
    windows.put(kind, new Window(now.plus(window)));
    out.add(Publication.single(event));
    return out;
  }

  /** Summaries of the windows that ended by {@code now}. */
  List<Publication> expire(Instant now) {
    List<Publication> out = new ArrayList<>();
    Iterator<Window> it = windows.values().iterator();
    while (it.hasNext()) {
      Window open = it.next();
      if (now.isBefore(open.end)) {
        break;
      }
      open.summary().ifPresent(out::add);
      it.remove();
    }
    return out;
  }

  /** Summaries of every open window, ending them all (at shutdown). */
  List<Publication> endAll() {
    List<Publication> out = new ArrayList<>();
    windows.values().forEach(open -> open.summary().ifPresent(out::add));
    windows.clear();
    return out;
  }

  private record Kind(AuditEventType type, String tool, List<String> reasons, List<String> rules) {
    static Kind of(AuditEvent event) {
      return new Kind(
          event.type(),
          Objects.toString(event.tool(), ""),
          event.reasons() == null ? List.of() : event.reasons(),
          event.rules() == null ? List.of() : event.rules());
    }
  }

  private static final class Window {
    private final Instant end;
    private int folded;
    private AuditEvent last;

    Window(Instant end) {
      this.end = end;
    }

    void fold(AuditEvent event) {
      folded++;
      last = event;
    }

    Optional<Publication> summary() {
      return folded == 0 ? Optional.empty() : Optional.of(new Publication(last, folded));
    }
  }
}
