package dev.tollgate.sidecar.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A token bucket: {@code burst} tokens at most, refilled at {@code perSecond}. Not thread-safe. */
final class TokenBucket {

  private final double perSecond;
  private final double burst;
  private final Clock clock;
  private double tokens;
  private Instant refilled;

  TokenBucket(double perSecond, int burst, Clock clock) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.refilled = clock.instant();
  }

  /** Takes a token if there is one. */
  boolean tryTake() {
    Instant now = clock.instant();
    long nanos = Duration.between(refilled, now).toNanos();
    // A clock stepping back mints nothing, and refilling resumes from where it now stands.
    if (nanos > 0) {
      tokens = Math.min(burst, tokens + nanos * perSecond / 1e9);
    }
    refilled = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
