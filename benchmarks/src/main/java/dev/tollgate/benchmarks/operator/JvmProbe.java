package dev.tollgate.benchmarks.operator;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * What the JVM spent: heap (the highest used heap seen by a 100 ms sampler, and the highest heap
 * left after any collection, a closer bound on what is actually live) and CPU time per thread group
 * (thread names with their numbers blanked), to tell the mock server's threads from the operator's.
 * Everything runs in one process, so the heap holds the mock server's store too.
 */
final class JvmProbe implements AutoCloseable {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final AtomicLong peakUsed = new AtomicLong();
  private final AtomicLong peakAfterGc = new AtomicLong();
  private final AtomicLong gcCount = new AtomicLong();
  private final AtomicLong gcMillis = new AtomicLong();
  private final Thread sampler;
  private final NotificationListener gcListener =
      (notification, handback) -> {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
            notification.getType())) {
          return;
        }
        GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long after = 0;
        for (Map.Entry<String, MemoryUsage> pool :
            info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
          if (HEAP_POOLS.contains(pool.getKey())) {
            after += pool.getValue().getUsed();
          }
        }
        peakAfterGc.accumulateAndGet(after, Math::max);
        gcCount.incrementAndGet();
        gcMillis.addAndGet(info.getGcInfo().getDuration());
      };

  private static final Set<String> HEAP_POOLS =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(pool -> pool.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toUnmodifiableSet());

  JvmProbe() {
    if (threads.isThreadCpuTimeSupported()) {
      threads.setThreadCpuTimeEnabled(true);
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(gcListener, null, null);
      }
    }
    sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peakUsed.accumulateAndGet(
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "bench-heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  long peakHeapUsed() {
    return peakUsed.get();
  }

  long peakHeapAfterGc() {
    return peakAfterGc.get();
  }

  long gcCount() {
    return gcCount.get();
  }

  long gcMillis() {
    return gcMillis.get();
  }

  static long maxHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
  }

  /** Live heap right now, after a full collection. */
  static long liveHeapAfterFullGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** CPU time of the whole process so far, in nanoseconds (-1 if unknown). */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** CPU nanoseconds of each live thread, by thread id, with its group name. */
  CpuSnapshot cpu() {
    Map<Long, Long> nanos = new HashMap<>();
    Map<Long, String> groups = new HashMap<>();
    long[] ids = threads.getAllThreadIds();
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    for (int k = 0; k < ids.length; k++) {
      if (infos[k] == null) {
        continue;
      }
      long time = threads.getThreadCpuTime(ids[k]);
      if (time >= 0) {
        nanos.put(ids[k], time);
        groups.put(ids[k], group(infos[k].getThreadName()));
      }
    }
    return new CpuSnapshot(nanos, groups, processCpuNanos());
  }

  /**
   * A thread's group: its name with numbers blanked, and the known pools named for what they run.
   */
  static String group(String threadName) {
    if (threadName.matches("pool-\\d+-thread-\\d+")
        || threadName.startsWith("ReconcilerExecutor-")) {
      // JOSDK's reconcile and workflow executors (it renames a thread while it reconciles).
      return "JOSDK executors (reconcile, dependents)";
    }
    if (threadName.matches("-?\\d+-pool-\\d+-thread-\\d+")) {
      return "Fabric8 informer dispatch (event mappers)";
    }
    if (threadName.startsWith("JdkHttpClientFactory-")
        || threadName.matches("HttpClient-\\d+-.*")) {
      return "JDK HTTP client (Fabric8 client side)";
    }
    if (threadName.startsWith("vert.x-")) {
      return "mock API server (Vert.x)";
    }
    return threadName.replaceAll("\\d+", "#");
  }

  record CpuSnapshot(Map<Long, Long> nanos, Map<Long, String> groups, long processNanos) {

    /**
     * CPU milliseconds per thread group since {@code earlier}, largest first, with the process
     * total.
     */
    Map<String, Long> since(CpuSnapshot earlier, int top) {
      Map<String, Long> byGroup = new HashMap<>();
      nanos.forEach(
          (id, time) ->
              byGroup.merge(groups.get(id), time - earlier.nanos.getOrDefault(id, 0L), Long::sum));
      long attributed = byGroup.values().stream().mapToLong(Long::longValue).sum();
      Map<String, Long> result = new LinkedHashMap<>();
      List<Map.Entry<String, Long>> sorted =
          byGroup.entrySet().stream()
              .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
              .toList();
      long rest = 0;
      for (int k = 0; k < sorted.size(); k++) {
        if (k < top) {
          result.put(sorted.get(k).getKey(), sorted.get(k).getValue() / 1_000_000);
        } else {
          rest += sorted.get(k).getValue();
        }
      }
      result.put("(other live threads)", rest / 1_000_000);
      if (processNanos >= 0 && earlier.processNanos >= 0) {
        long process = processNanos - earlier.processNanos;
        result.put("(threads gone since, JIT, GC)", Math.max(0, process - attributed) / 1_000_000);
        result.put("(process total)", process / 1_000_000);
      }
      return result;
    }
  }

  @Override
  public void close() {
    sampler.interrupt();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        try {
          emitter.removeNotificationListener(gcListener);
        } catch (ListenerNotFoundException e) {
          // Not registered on this one.
        }
      }
    }
  }
}
