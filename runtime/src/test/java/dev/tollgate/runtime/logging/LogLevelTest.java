package dev.tollgate.runtime.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.runtime.config.Settings;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogLevelTest {

  private static Settings settings(Map<String, String> env, String... args) {
    return new Settings(env, args, Map.of(LogLevel.FLAG, LogLevel.VARIABLE));
  }

  @ParameterizedTest
  @CsvSource({
    "trace, FINEST",
    "DEBUG, FINE",
    "Info, INFO",
    "warn, WARNING",
    "warning, WARNING",
    "error, SEVERE",
    "off, OFF"
  })
  void theUsualNamesInAnyCaseMapToTheJdksLevels(String name, String jdkLevel) {
    Settings settings = settings(Map.of(), "--log-level", name);
    assertThat(LogLevel.read(settings)).isEqualTo(Level.parse(jdkLevel));
    assertThat(settings.problems()).isEmpty();
  }

  @Test
  void infoByDefaultAndTheFlagWinsOverTheVariable() {
    assertThat(LogLevel.read(settings(Map.of()))).isEqualTo(Level.INFO);
    assertThat(LogLevel.read(settings(Map.of(LogLevel.VARIABLE, "error"), "--log-level=debug")))
        .isEqualTo(Level.FINE);
  }

  @Test
  void anUnknownNameIsReportedWithTheNamesItAccepts() {
    // The JDK's own names are not accepted: one vocabulary across the three services.
    for (String bad : new String[] {"FINEST", "verbose", "5"}) {
      Settings settings = settings(Map.of(LogLevel.VARIABLE, bad));
      LogLevel.read(settings);
      assertThat(settings.problems())
          .singleElement()
          .asString()
          .contains("--log-level (TOLLGATE_LOG_LEVEL)", "trace, debug, info, warn, error, off")
          .contains("'" + bad + "'");
    }
  }

  @Test
  void setLevelChangesWhatTheHandlersLetThrough() {
    Logger root = Logger.getLogger("");
    Level before = root.getLevel();
    try {
      JsonLogging.install(Level.INFO);
      JsonLogging.setLevel(Level.FINE);
      assertThat(root.isLoggable(Level.FINE)).isTrue();
      assertThat(root.getHandlers())
          .allSatisfy(h -> assertThat(h.getLevel()).isEqualTo(Level.FINE));
      JsonLogging.setLevel(Level.SEVERE);
      assertThat(root.isLoggable(Level.WARNING)).isFalse();
    } finally {
      JsonLogging.setLevel(before);
    }
  }
}
