package dev.tollgate.benchmarks.webhook;

import java.util.Arrays;
import java.util.Locale;

/** Exact percentiles of recorded latencies (nanoseconds; every sample kept, sorted once). */
record Latencies(int count, long p50, long p90, long p99, long p999, long max, int over5ms) {

  static final long FIVE_MS = 5_000_000L;

  /** Of the first {@code count} samples; negative samples (never recorded) are skipped. */
  static Latencies of(long[] samples, int count) {
    long[] sorted =
        Arrays.stream(samples, 0, Math.min(count, samples.length))
            .filter(v -> v >= 0)
            .sorted()
            .toArray();
    if (sorted.length == 0) {
      return new Latencies(0, 0, 0, 0, 0, 0, 0);
    }
    int over = 0;
    for (long v : sorted) {
      if (v > FIVE_MS) {
        over++;
      }
    }
    return new Latencies(
        sorted.length,
        at(sorted, 0.50),
        at(sorted, 0.90),
        at(sorted, 0.99),
        at(sorted, 0.999),
        sorted[sorted.length - 1],
        over);
  }

  // Nearest rank: the smallest sample with at least q of the samples at or below it.
  private static long at(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
  }

  /** One table row: count, p50, p90, p99, p99.9, max in ms, and how many were over 5 ms. */
  String row() {
    return String.format(
        Locale.ROOT,
        "n=%6d  p50 %7s  p90 %7s  p99 %7s  p99.9 %7s  max %8s ms  >5ms: %d (%.2f%%)",
        count,
        ms(p50),
        ms(p90),
        ms(p99),
        ms(p999),
        ms(max),
        over5ms,
        count == 0 ? 0.0 : 100.0 * over5ms / count);
  }
}
