package dev.tollgate.webhook.tls;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a check on its own daemon thread, waiting {@code interval} before each run, until closed. A
 * failing run is logged and the next one still happens.
 */
final class PeriodicTask implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PeriodicTask.class.getName());
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Thread thread;
  // The check may swallow an interrupt (an HTTP client wraps it in its own exception), so the
  // loop does not rely on the interrupt flag alone.
  private volatile boolean running = true;

  PeriodicTask(String threadName, Duration interval, Runnable check) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive");
    }
    thread =
        new Thread(
            () -> {
              while (running) {
                try {
                  Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
                try {
                  check.run();
                } catch (RuntimeException e) {
                  if (running) {
                    LOG.log(
                        Level.WARNING, threadName + " check failed; retrying in " + interval, e);
                  }
                }
              }
            },
            threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** Interrupts the wait or a run in progress and waits for the thread to end. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(STOP_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warning("the " + thread.getName() + " thread did not stop within " + STOP_TIMEOUT);
    }
  }
}
