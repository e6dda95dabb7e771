package dev.tollgate.sidecar.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Logs Events that were not published, at most once per {@link #INTERVAL}: a flood of failures (API
 * server down, agent in a loop) must not become a flood of log lines. Each line says how many were
 * lost since the previous one and why.
 */
final class FailureLog {

  static final Duration INTERVAL = Duration.ofMinutes(1);
  private static final int MAX_ERROR = 500;
  private static final Logger LOG = Logger.getLogger(FailureLog.class.getName());

  private final Clock clock;
  // Counted on the callers' threads (queue full), reported from the worker.
  private final AtomicLong queueFull = new AtomicLong();
  private final AtomicLong rateLimited = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong shutdown = new AtomicLong();
  private volatile String lastError = "";
  private Instant lastLogged;

  FailureLog(Clock clock) {
    this.clock = clock;
  }

  void queueFull() {
    queueFull.incrementAndGet();
  }

  void rateLimited(int denials) {
    rateLimited.addAndGet(denials);
  }

  void failed(int denials, Throwable error) {
    failed.addAndGet(denials);
    String message = describe(error);
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    // Fabric8 wraps I/O failures in "An error has occurred."; the root cause says what it was.
    if (cause != error) {
      message += " (" + describe(cause) + ")";
    }
    lastError = message.length() <= MAX_ERROR ? message : message.substring(0, MAX_ERROR) + "…";
  }

  void notPublishedBeforeShutdown(int denials) {
    shutdown.addAndGet(denials);
  }

  /** Logs what was lost since the last line, unless that line is less than a minute old. */
  void report() {
    report(false);
  }

  /**
   * Logs what was lost since the last line; {@code now} at shutdown, so the last losses are not
   * left unsaid.
   */
  synchronized void report(boolean now) {
    Instant time = clock.instant();
    if (!now && lastLogged != null && time.isBefore(lastLogged.plus(INTERVAL))) {
      return;
    }
    long full = queueFull.getAndSet(0);
    long limited = rateLimited.getAndSet(0);
    long errors = failed.getAndSet(0);
    long late = shutdown.getAndSet(0);
    if (full + limited + errors + late == 0) {
      return;
    }
    lastLogged = time;
    LOG.warning(
        "Kubernetes Events: denials not published since the last report: "
            + (full + limited + errors + late)
            + " ("
            + errors
            + " failed"
            + (errors > 0 ? ", last error " + lastError : "")
            + "; "
            + limited
            + " dropped by rate limiting; "
            + full
            + " dropped with the queue full; "
            + late
            + " pending at shutdown); counted in tollgate_kubernetes_event_failures_total");
  }

  private static String describe(Throwable error) {
    return error.getClass().getSimpleName() + ": " + error.getMessage();
  }
}
