package dev.tollgate.sidecar.gate.mcp;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One thread that watches every upstream body being relayed: it closes a body silent for longer
 * than the read timeout, and keeps the agent's stream alive with comments, which is also how a
 * client that left is noticed.
 */
final class StreamWatchdog implements AutoCloseable {

  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);

  private final Duration readTimeout;
  private final ScheduledExecutorService scheduler;

  StreamWatchdog(Duration readTimeout) {
    this.readTimeout = readTimeout;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "tollgate-mcp-watchdog");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Watches a body until the returned future is cancelled.
   *
   * @param bounded whether the read timeout applies (checked more often then)
   */
  ScheduledFuture<?> watch(GuardedBody body, Reply reply, boolean bounded) {
    long period = bounded ? Math.max(10, Math.min(1_000, readTimeout.toMillis() / 4)) : 1_000;
    return scheduler.scheduleAtFixedRate(
        () -> {
          body.check();
          try {
            reply.keepAliveIfQuiet(KEEP_ALIVE_NANOS);
          } catch (IOException | RuntimeException e) {
            body.clientLeft();
          }
        },
        period,
        period,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
