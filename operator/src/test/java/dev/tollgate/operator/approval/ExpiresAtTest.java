package dev.tollgate.operator.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpiresAtTest {

  @ParameterizedTest
  @CsvSource({
    "2026-11-23T10:05:00Z, 2026-11-23T10:05:00Z",
    "2026-11-23T10:05:00.123456789Z, 2026-11-23T10:05:00.123456789Z",
    "2026-11-23T12:05:00+02:00, 2026-11-23T10:05:00Z",
    "2026-11-23t10:05:00z, 2026-11-23T10:05:00Z"
  })
  void readsRfc3339(String raw, String expected) {
    assertThat(ExpiresAt.parse(raw).instant()).contains(Instant.parse(expected));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "tomorrow",
        "2026-11-23",
        "2026-11-23T10:05Z",
        "2026-11-23T10:05:00",
        "2026-02-30T10:05:00Z",
        "2026-11-23 10:05:00Z",
        "1795428300"
      })
  void refusesAnythingElse(String raw) {
    assertThat(ExpiresAt.parse(raw).instant()).isEmpty();
    assertThat(ExpiresAt.parse(raw).raw()).isEqualTo(raw);
  }
}
