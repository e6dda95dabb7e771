package dev.tollgate.sidecar.audit.export;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps the export's counts for assertions. */
final class CountingMeter implements ExportMeter {

  final AtomicInteger sent = new AtomicInteger();
  private final Map<Failure, AtomicInteger> failures = new EnumMap<>(Failure.class);

  CountingMeter() {
    for (Failure failure : Failure.values()) {
      failures.put(failure, new AtomicInteger());
    }
  }

  @Override
  public void exported(int records) {
    sent.addAndGet(records);
  }

  @Override
  public void undeliverable(Failure reason, int records) {
    failures.get(reason).addAndGet(records);
  }

  int failed(Failure reason) {
    return failures.get(reason).get();
  }

  int failedInAll() {
    return failures.values().stream().mapToInt(AtomicInteger::get).sum();
  }
}
