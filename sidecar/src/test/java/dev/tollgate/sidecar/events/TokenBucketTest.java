package dev.tollgate.sidecar.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testsupport.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private final MutableClock clock = new MutableClock(TestEvents.TIME);
  private final TokenBucket bucket = new TokenBucket(5, 20, clock);

  @Test
  void aBurstGetsTwentyThenFivePerSecond() {
    assertThat(taken(100)).isEqualTo(20);
    clock.advance(Duration.ofSeconds(1));
    assertThat(taken(100)).isEqualTo(5);
    clock.advance(Duration.ofMillis(199));
    assertThat(taken(100)).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(taken(100)).isEqualTo(1);
  }

  @Test
  void idleTimeFillsTheBucketOnlyToTheBurst() {
    taken(100);
    clock.advance(Duration.ofHours(1));
    assertThat(taken(100)).isEqualTo(20);
  }

  @Test
  void aClockSteppingBackMintsNothing() {
    taken(100);
    clock.advance(Duration.ofSeconds(-30));
    assertThat(taken(100)).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(taken(100)).isEqualTo(5);
  }

  private int taken(int attempts) {
    int taken = 0;
    for (int i = 0; i < attempts; i++) {
      if (bucket.tryTake()) {
        taken++;
      }
    }
    return taken;
  }
}
