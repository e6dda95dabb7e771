package dev.tollgate.sidecar.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker pool of a gate that serves long requests of its own (MCP streams, git packs): apart
 * from the decision threads, bounded in threads and queue so that a flood is refused (the caller
 * answers 503) instead of queued without end, and idle threads go away.
 */
public final class GateWorkers {

  private GateWorkers() {}

  /** {@code threads} daemon threads named {@code tollgate-<name>-N}, a queue of at least 16. */
  public static ThreadPoolExecutor bounded(String name, int threads) {
    AtomicInteger counter = new AtomicInteger();
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(Math.max(16, threads)),
            runnable -> {
              Thread thread =
                  new Thread(runnable, "tollgate-" + name + "-" + counter.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    workers.allowCoreThreadTimeOut(true);
    return workers;
  }
}
