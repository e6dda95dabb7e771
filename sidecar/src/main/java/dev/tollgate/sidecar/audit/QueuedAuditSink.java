package dev.tollgate.sidecar.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Takes audit writes off the decision path: request threads hand events to a bounded queue and one
 * writer thread serializes them, in order, flushing whenever it has caught up. Under a burst that
 * costs one stream write per batch instead of one per event, and no request thread waits on
 * another's write.
 *
 * <p>Nothing is dropped: when the queue is full the request thread waits for room (the audit trail
 * is worth more than latency), and that wait is counted so operators see the stream is too slow.
 * {@link #close()} drains what is queued before it returns.
 */
public final class QueuedAuditSink implements AuditSink, AutoCloseable {

  private static final int BATCH = 256;

  /** An event to write, or a request to report when everything before it is flushed. */
  private record Item(AuditEvent event, CountDownLatch flushed) {}

  private static final Item STOP = new Item(null, null);

  private final AuditSink target;
  private final BlockingQueue<Item> queue;
  private final Runnable onBackpressure;
  private final Thread writer;
  private volatile boolean closed;

  /**
   * @param target the sink that does the writing; only the writer thread calls it while open
   * @param capacity events that may wait before request threads have to
   * @param onBackpressure told each time a request thread had to wait for room (a metric counts it)
   */
  public QueuedAuditSink(AuditSink target, int capacity, Runnable onBackpressure) {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "audit queue capacity must be at least 1, got " + capacity);
    }
    this.target = target;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.onBackpressure = onBackpressure;
    this.writer = new Thread(this::drain, "tollgate-audit-writer");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void write(AuditEvent event) {
    if (closed) {
      // A request finishing during shutdown still gets its events written, after the queue's.
      synchronized (target) {
        target.write(event);
        target.flush();
      }
      return;
    }
    Item item = new Item(event, null);
    if (!queue.offer(item)) {
      onBackpressure.run();
      put(item);
    }
  }

  /** Waits until every event queued before this call is written and flushed. */
  @Override
  public void flush() {
    if (closed) {
      return;
    }
    CountDownLatch flushed = new CountDownLatch(1);
    put(new Item(null, flushed));
    try {
      flushed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes what is queued, then stops the writer thread. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    put(STOP);
    try {
      writer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // A write that saw the sink open may have queued its event behind STOP.
    synchronized (target) {
      for (Item item; (item = queue.poll()) != null; ) {
        if (item.event() != null) {
          target.write(item.event());
        } else if (item.flushed() != null) {
          item.flushed().countDown();
        }
      }
      target.flush();
    }
  }

  private void drain() {
    List<Item> batch = new ArrayList<>(BATCH);
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue; // only close() stops the writer, so nothing queued is lost
      }
      queue.drainTo(batch, BATCH - 1);
      synchronized (target) {
        for (Item item : batch) {
          if (item.event() != null) {
            target.write(item.event());
          }
        }
        target.flush();
      }
      for (Item item : batch) {
        if (item == STOP) {
          stop = true;
        } else if (item.flushed() != null) {
          item.flushed().countDown();
        }
      }
      batch.clear();
    }
  }

  private void put(Item item) {
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(item);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
