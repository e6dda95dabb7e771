package dev.tollgate.sidecar.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The approval queue as this decision point sees it: calls held for a human now, how long the
 * oldest has waited, and how each wait ended. Outcomes come from a fixed set, so the series stay
 * few.
 */
public final class ApprovalMeter {

  /** How a held call's wait ended. */
  public enum Outcome {
    APPROVED("approved"),
    REJECTED("rejected"),
    TIMED_OUT("timed_out"),
    ALREADY_USED("already_used"),
    UNAVAILABLE("unavailable");

    final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  private final ConcurrentHashMap<Long, Long> heldSince = new ConcurrentHashMap<>();
  private final AtomicLong nextTicket = new AtomicLong();
  private final Counter requestedHeld;
  private final Counter requestedAnswered;
  private final EnumMap<Outcome, Timer> waits = new EnumMap<>(Outcome.class);

  ApprovalMeter(MeterRegistry registry) {
    Gauge.builder("tollgate.approvals.held", heldSince, ConcurrentHashMap::size)
        .description("Calls held now until a human decides their ToolCallApproval")
        .register(registry);
    Gauge.builder("tollgate.approvals.oldest.wait", this, ApprovalMeter::oldestWaitSeconds)
        .description("How long the longest-held call has waited for a human (0 when none)")
        .baseUnit("seconds")
        .register(registry);
    requestedHeld = requested(registry, "held");
    requestedAnswered = requested(registry, "answered");
    // Every outcome from the start, so a dashboard shows zero rather than no data.
    for (Outcome outcome : Outcome.values()) {
      waits.put(
          outcome,
          Timer.builder("tollgate.approval.wait")
              .description("How long held calls waited for a human, by how the wait ended")
              .tag("outcome", outcome.label)
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofMillis(100))
              .maximumExpectedValue(Duration.ofHours(1))
              .register(registry));
    }
  }

  /**
   * Counts an approval asked for. {@code held}: the call waits (hooks, MCP, a push); otherwise the
   * caller was answered at once (AuthZEN) and asks again later.
   */
  public void requested(boolean held) {
    (held ? requestedHeld : requestedAnswered).increment();
  }

  private static Counter requested(MeterRegistry registry, String wait) {
    return Counter.builder("tollgate.approvals.requested")
        .description("Calls that needed a human's approval, by whether they were held")
        .tag("wait", wait)
        .register(registry);
  }

  /** A call starts waiting; the ticket ends the wait. */
  public long holding() {
    long ticket = nextTicket.incrementAndGet();
    heldSince.put(ticket, System.nanoTime());
    return ticket;
  }

  /** The wait of {@code ticket} ended with {@code outcome}. */
  public void released(long ticket, Outcome outcome) {
    Long since = heldSince.remove(ticket);
    if (since == null) {
      return;
    }
    waits.get(outcome).record(System.nanoTime() - since, TimeUnit.NANOSECONDS);
  }

  private double oldestWaitSeconds() {
    long now = System.nanoTime();
    return heldSince.values().stream().mapToLong(since -> now - since).max().stream()
        .mapToDouble(nanos -> nanos / 1e9)
        .findFirst()
        .orElse(0);
  }
}
