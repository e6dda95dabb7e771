package dev.tollgate.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MutableClockTest {

  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void standsStillUntilAdvanced() {
    MutableClock clock = new MutableClock(START);

    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    clock.advance(Duration.ofMinutes(5));
    clock.advance(Duration.ofSeconds(1));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-11-23T10:05:01Z"));
  }

  @Test
  void anotherZoneSharesTheSameTime() {
    MutableClock clock = new MutableClock(START);
    Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));

    clock.advance(Duration.ofHours(1));

    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(paris.instant()).isEqualTo(Instant.parse("2026-11-23T11:00:00Z"));
    assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
  }
}
