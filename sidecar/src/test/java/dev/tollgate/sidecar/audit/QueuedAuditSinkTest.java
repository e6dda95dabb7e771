package dev.tollgate.sidecar.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class QueuedAuditSinkTest {

  /** Records what reaches it and whether each event was flushed; can be made to stall. */
  private static final class RecordingSink implements AuditSink {
    final List<String> written = Collections.synchronizedList(new ArrayList<>());
    final List<String> flushed = Collections.synchronizedList(new ArrayList<>());
    volatile CountDownLatch stall = new CountDownLatch(0);

    @Override
    public void write(AuditEvent event) {
      try {
        stall.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      written.add(event.id());
    }

    @Override
    public void flush() {
      synchronized (written) {
        flushed.clear();
        flushed.addAll(written);
      }
    }
  }

  @Test
  void writesEveryEventInOrderAndFlushesWhenCaughtUp() {
    RecordingSink target = new RecordingSink();
    try (QueuedAuditSink sink = new QueuedAuditSink(target, 1024, () -> {})) {
      for (int i = 0; i < 500; i++) {
        sink.write(event("e" + i));
      }
      sink.flush();
      assertThat(target.flushed).hasSize(500).startsWith("e0", "e1").endsWith("e499");
      assertThat(target.written)
          .isSortedAccordingTo((a, b) -> Integer.compare(number(a), number(b)));
    }
  }

  @Test
  void aFullQueueMakesWritersWaitAndIsCountedNeverDropped() throws Exception {
    RecordingSink target = new RecordingSink();
    target.stall = new CountDownLatch(1);
    AtomicInteger waits = new AtomicInteger();
    QueuedAuditSink sink = new QueuedAuditSink(target, 4, waits::incrementAndGet);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int base = t * 1000;
      Thread writer =
          new Thread(
              () -> {
                for (int i = 0; i < 100; i++) {
                  sink.write(event("e" + (base + i)));
                }
              });
      writer.start();
      writers.add(writer);
    }
    // The target is stalled: the queue fills and the writers have to wait.
    Thread.sleep(200);
    assertThat(waits.get()).isPositive();
    target.stall.countDown();
    for (Thread writer : writers) {
      writer.join(10_000);
    }
    sink.close();
    assertThat(target.written).hasSize(400).doesNotHaveDuplicates();
  }

  @Test
  void closeWritesWhatIsQueuedAndLaterEventsStillReachTheStream() {
    RecordingSink target = new RecordingSink();
    QueuedAuditSink sink = new QueuedAuditSink(target, 1024, () -> {});
    for (int i = 0; i < 100; i++) {
      sink.write(event("e" + i));
    }
    sink.close();
    assertThat(target.flushed).hasSize(100);
    sink.write(event("late"));
    assertThat(target.flushed).hasSize(101).endsWith("late");
  }

  @Test
  void refusesANonPositiveCapacity() {
    Assertions.assertThatThrownBy(() -> new QueuedAuditSink(new RecordingSink(), 0, () -> {}))
        .hasMessageContaining("capacity");
  }

  private static int number(String id) {
    return Integer.parseInt(id.substring(1));
  }

  private static AuditEvent event(String id) {
    return new AuditEvent(
        AuditEvent.SCHEMA,
        id,
        Instant.EPOCH,
        AuditEventType.ATTEMPTED,
        "c",
        "test",
        "ns/a",
        "ns",
        "p",
        "",
        "",
        "Read",
        Map.of(),
        "",
        null,
        null,
        null,
        List.of(),
        List.of(),
        "",
        "",
        null,
        null,
        null,
        null);
  }
}
