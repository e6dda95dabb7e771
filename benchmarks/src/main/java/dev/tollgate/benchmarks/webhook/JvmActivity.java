package dev.tollgate.benchmarks.webhook;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * What the JVM did during a phase: collections (each pause, to tell whether slow requests
 * overlapped one), JIT compilation time and process CPU time. Client and server share this JVM, so
 * the figures cover both.
 */
final class JvmActivity implements AutoCloseable {

  /** A collection, in milliseconds of JVM uptime. */
  record Pause(String collector, String cause, long startMillis, long durationMillis) {
    long endMillis() {
      return startMillis + durationMillis;
    }
  }

  record Snapshot(
      long gcCount,
      long gcMillis,
      long compileMillis,
      long cpuNanos,
      long machineBusyNanos,
      long nanoTime,
      int pauses) {}

  private final List<Pause> pauses = new ArrayList<>();
  private final CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
  private final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** JVM uptime in ms at System.nanoTime() == 0, to put requests and collections on one clock. */
  private final double uptimeMillisAtNanoZero;

  private final NotificationListener listener =
      (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
            notification.getType())) {
          GarbageCollectionNotificationInfo info =
              GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
          synchronized (pauses) {
            pauses.add(
                new Pause(
                    info.getGcName(),
                    info.getGcCause(),
                    info.getGcInfo().getStartTime(),
                    info.getGcInfo().getDuration()));
          }
        }
      };

  JvmActivity() {
    long nano = System.nanoTime();
    uptimeMillisAtNanoZero = ManagementFactory.getRuntimeMXBean().getUptime() - nano / 1e6;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
      }
    }
  }

  Snapshot snapshot() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    int seen;
    synchronized (pauses) {
      seen = pauses.size();
    }
    return new Snapshot(
        count,
        millis,
        compiler.isCompilationTimeMonitoringSupported() ? compiler.getTotalCompilationTime() : -1,
        os.getProcessCpuTime(),
        machineBusyNanos(),
        System.nanoTime(),
        seen);
  }

  /** Collections that started after {@code since} was taken. */
  List<Pause> pausesSince(Snapshot since) {
    synchronized (pauses) {
      return List.copyOf(pauses.subList(Math.min(since.pauses(), pauses.size()), pauses.size()));
    }
  }

  double uptimeMillis(long nanoTime) {
    return uptimeMillisAtNanoZero + nanoTime / 1e6;
  }

  /** GC count and time, JIT time and CPU use (in cores) between two snapshots. */
  static String describe(Snapshot from, Snapshot to, List<Pause> pauses) {
    double seconds = (to.nanoTime() - from.nanoTime()) / 1e9;
    long longest = pauses.stream().mapToLong(Pause::durationMillis).max().orElse(0);
    double own = (to.cpuNanos() - from.cpuNanos()) / 1e9 / seconds;
    String others =
        from.machineBusyNanos() < 0 || to.machineBusyNanos() < 0
            ? ""
            : String.format(
                Locale.ROOT,
                "; other processes %.2f cores",
                Math.max(
                    0, (to.machineBusyNanos() - from.machineBusyNanos()) / 1e9 / seconds - own));
    return String.format(
        Locale.ROOT,
        "GC %d collections, %d ms total, longest %d ms; JIT %d ms; CPU %.2f cores (of %d)%s",
        to.gcCount() - from.gcCount(),
        to.gcMillis() - from.gcMillis(),
        longest,
        to.compileMillis() - from.compileMillis(),
        own,
        Runtime.getRuntime().availableProcessors(),
        others);
  }

  /**
   * CPU time all processes spent (not idle, not iowait), from /proc/stat in USER_HZ ticks (100/s on
   * Linux): what this machine did besides the benchmark tells whether a phase was disturbed. -1
   * where there is no /proc/stat.
   */
  private static long machineBusyNanos() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
        if (line.startsWith("cpu ")) {
          String[] fields = line.trim().split("\\s+");
          long busy = 0;
          for (int i = 1; i < Math.min(fields.length, 9); i++) {
            if (i != 4 && i != 5) { // idle, iowait
              busy += Long.parseLong(fields[i]);
            }
          }
          return busy * 10_000_000L;
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        try {
          emitter.removeNotificationListener(listener);
        } catch (ListenerNotFoundException ignored) {
          // never added
        }
      }
    }
  }
}
