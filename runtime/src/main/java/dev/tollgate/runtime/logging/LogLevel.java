package dev.tollgate.runtime.logging;

import dev.tollgate.runtime.config.Settings;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;

/**
 * The {@code --log-level} setting every service takes ({@code TOLLGATE_LOG_LEVEL}), in the names
 * operators type (trace, debug, info, warn, error, off) rather than java.util.logging's (FINEST,
 * FINE, SEVERE), which the services use underneath.
 */
public final class LogLevel {

  public static final String FLAG = "--log-level";
  public static final String VARIABLE = "TOLLGATE_LOG_LEVEL";

  private static final Map<String, Level> LEVELS =
      Map.of(
          "trace", Level.FINEST,
          "debug", Level.FINE,
          "info", Level.INFO,
          "warn", Level.WARNING,
          "warning", Level.WARNING,
          "error", Level.SEVERE,
          "off", Level.OFF);
  private static final List<String> NAMES =
      List.of("trace", "debug", "info", "warn", "error", "off");

  private LogLevel() {}

  /** The level asked for (info by default); a name outside the list is reported by name. */
  public static Level read(Settings settings) {
    String text = settings.get(VARIABLE, "info").toLowerCase(Locale.ROOT);
    Level level = LEVELS.get(text);
    if (level == null) {
      settings.problem(
          VARIABLE,
          "must be one of "
              + String.join(", ", NAMES)
              + ", got '"
              + settings.get(VARIABLE, "")
              + "'");
      return Level.INFO;
    }
    return level;
  }
}
