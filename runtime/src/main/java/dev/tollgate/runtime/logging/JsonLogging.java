package dev.tollgate.runtime.logging;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Routes java.util.logging (and, through slf4j-jdk14, Fabric8, JOSDK and Micrometer) to stderr as
 * JSON lines. Stdout stays free: the sidecar writes only audit events there.
 */
public final class JsonLogging {

  private JsonLogging() {}

  public static void install(Level level) {
    Logger root = Logger.getLogger("");
    for (var handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    ConsoleHandler stderr = new ConsoleHandler();
    stderr.setFormatter(new JsonLogFormatter());
    stderr.setLevel(level);
    root.addHandler(stderr);
    root.setLevel(level);
  }

  /** Changes the level once the service's configuration has been read. */
  public static void setLevel(Level level) {
    Logger root = Logger.getLogger("");
    root.setLevel(level);
    for (var handler : root.getHandlers()) {
      handler.setLevel(level);
    }
  }
}
