package dev.tollgate.sidecar.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testsupport.MutableClock;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FailureLogTest {

  private static final Logger LOG = Logger.getLogger(FailureLog.class.getName());
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          lines.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final MutableClock clock = new MutableClock(TestEvents.TIME);
  private final FailureLog failures = new FailureLog(clock);

  @BeforeEach
  void capture() {
    LOG.addHandler(capture);
  }

  @AfterEach
  void release() {
    LOG.removeHandler(capture);
  }

  @Test
  void logsAtMostOnceAMinuteWithTheCountsSinceTheLastLine() {
    failures.failed(
        1,
        new IllegalStateException(
            "An error has occurred.", new ConnectException("Connection refused")));
    failures.report();
    for (int i = 0; i < 1_000; i++) {
      failures.rateLimited(1);
      failures.queueFull();
      failures.report();
    }
    clock.advance(Duration.ofSeconds(59));
    failures.report();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .contains(
            "not published since the last report: 1 (1 failed",
            "last error IllegalStateException: An error has occurred. (ConnectException: Connection refused)");

    clock.advance(Duration.ofSeconds(1));
    failures.report();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1))
        .contains(
            "since the last report: 2000 (0 failed",
            "1000 dropped by rate limiting",
            "1000 dropped with the queue full");
  }

  @Test
  void saysNothingWhenNothingWasLost() {
    failures.report();
    failures.report(true);
    assertThat(lines).isEmpty();
  }

  @Test
  void shutdownReportsWhatIsLeftAtOnce() {
    failures.failed(1, new IllegalStateException("x"));
    failures.report();
    failures.notPublishedBeforeShutdown(7);
    failures.report(true);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).contains("7 pending at shutdown");
  }
}
