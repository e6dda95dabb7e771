package dev.tollgate.benchmarks.operator;

import dev.tollgate.api.BundleConfigMaps;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.ToolPolicy;
import dev.tollgate.engine.bundle.BundleCodec;
import dev.tollgate.engine.bundle.BundleCompiler;
import dev.tollgate.engine.bundle.Compilation;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.SourceObject;
import dev.tollgate.operator.LeaderElectionSettings;
import dev.tollgate.operator.OperatorConfig;
import dev.tollgate.operator.OperatorConfigException;
import dev.tollgate.operator.SourceObjects;
import dev.tollgate.operator.TollgateOperator;
import dev.tollgate.operator.metrics.OperatorMetrics;
import dev.tollgate.operator.status.StatusWrites;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the operator copes with a large fleet, on the Fabric8 mock API server in CRUD mode (the one
 * the operator tests use), in one process. Not a test: it prints figures.
 *
 * <ol>
 *   <li>Creates N AgentIdentities, 2 ToolScopes and P ToolPolicies ({@link Fleet}) with a bounded
 *       number of threads, before the operator runs.
 *   <li>Phase 1 (cold start): starts the operator and lists the identities every 200 ms until all
 *       are {@code Ready=True} with {@code status.bundle.revision}, then checks every bundle
 *       ConfigMap holds that revision.
 *   <li>Phase 2 (shared policy change): adds a rule to a policy that selects every identity, and
 *       polls until every identity reports a new revision (and its ConfigMap holds it).
 * </ol>
 *
 * <p>Reports the wall time of both phases, the operator's reconcile counts (from {@link
 * OperatorMetrics#scrape()}), the requests the mock served and its time serving them, CPU time by
 * thread group, and heap.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tollgate.benchmarks.operator.OperatorScaleBenchmark 500 50
 * </pre>
 *
 * Options after the two numbers: {@code --threads N} (creation threads, default 8), {@code
 * --timeout-minutes M} (per phase, default 30), {@code --poll-millis MS} (default 200).
 */
public final class OperatorScaleBenchmark {

  /** Held so that java.util.logging keeps the levels (it holds loggers weakly). */
  private static final List<Logger> QUIETED = new ArrayList<>();

  private final int identities;
  private final int policies;
  private final int threads;
  private final Duration timeout;
  private final long pollMillis;

  private OperatorScaleBenchmark(
      int identities, int policies, int threads, Duration timeout, long pollMillis) {
    this.identities = identities;
    this.policies = policies;
    this.threads = threads;
    this.timeout = timeout;
    this.pollMillis = pollMillis;
  }

  public static void main(String[] args) {
    int identities = 500;
    int policies = 50;
    int threads = 8;
    long timeoutMinutes = 30;
    long pollMillis = 200;
    List<String> positional = new ArrayList<>();
    for (int k = 0; k < args.length; k++) {
      switch (args[k]) {
        case "--threads" -> threads = Integer.parseInt(args[++k]);
        case "--timeout-minutes" -> timeoutMinutes = Long.parseLong(args[++k]);
        case "--poll-millis" -> pollMillis = Long.parseLong(args[++k]);
        case "-h", "--help" -> {
          System.out.println(
              "usage: OperatorScaleBenchmark [identities=500] [policies=50] [--threads 8]"
                  + " [--timeout-minutes 30] [--poll-millis 200]");
          return;
        }
        default -> positional.add(args[k]);
      }
    }
    if (positional.size() > 0) {
      identities = Integer.parseInt(positional.get(0));
    }
    if (positional.size() > 1) {
      policies = Integer.parseInt(positional.get(1));
    }
    if (identities < 1 || policies < 1) {
      throw new IllegalArgumentException("identities and policies must be at least 1");
    }
    quietLogging();
    int status;
    try {
      status =
          new OperatorScaleBenchmark(
                  identities, policies, threads, Duration.ofMinutes(timeoutMinutes), pollMillis)
              .run();
    } catch (Exception e) {
      e.printStackTrace();
      status = 2;
    }
    // Fabric8, Vert.x and JOSDK are closed by now; exit in case some pool is still winding down.
    System.exit(status);
  }

  private static void quietLogging() {
    // The mock server logs every request at INFO (DEPENDENCIES.md); JOSDK and the informers are
    // chatty at INFO with hundreds of resources.
    for (String name :
        List.of(
            "io.fabric8.mockwebserver",
            "io.fabric8.kubernetes.client",
            "io.javaoperatorsdk",
            "io.vertx",
            "io.netty")) {
      Logger logger = Logger.getLogger(name);
      logger.setLevel(Level.WARNING);
      QUIETED.add(logger);
    }
  }

  private int run() throws Exception {
    Runtime runtime = Runtime.getRuntime();
    System.out.printf(
        Locale.ROOT,
        "OperatorScaleBenchmark: %d AgentIdentities x %d ToolPolicies, namespace %s%n",
        identities,
        policies,
        Fleet.NAMESPACE);
    System.out.printf(
        Locale.ROOT,
        "  %s, Java %s (%s), %d CPUs, max heap %s, load average %s%n",
        Instant.now(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        runtime.availableProcessors(),
        mib(JvmProbe.maxHeap()),
        loadAverage());
    Map<String, Integer> shape = Fleet.shape(identities, policies);
    System.out.printf(
        Locale.ROOT,
        "  fleet: 2 ToolScopes; %d policies select all identities by label, %d name %d"
            + " identities each; %d rules, %d with a CEL condition%n",
        shape.get("policiesSelectingAll"),
        shape.get("policiesNamingIdentities"),
        Fleet.NAMED_PER_POLICY,
        shape.get("rules"),
        shape.get("celRules"));
    checkFleetCompiles();

    try (JvmProbe probe = new JvmProbe();
        MockApiServer server = new MockApiServer()) {
      KubernetesClient client = server.client();
      createFleet(client);

      OperatorMetrics metrics = new OperatorMetrics();
      OperatorConfig config;
      try {
        config = OperatorConfig.from(Map.of(), new String[] {"--pod-name", "bench"});
      } catch (OperatorConfigException e) {
        throw new IllegalStateException(e);
      }
      // The mock server does not support server-side apply.
      TollgateOperator operator =
          new TollgateOperator(
              client,
              config,
              metrics,
              Clock.systemUTC(),
              LeaderElectionSettings.DEFAULT,
              StatusWrites.JSON_PATCH_FOR_MOCK_SERVER);
      try {
        return measure(client, server, operator, metrics, probe);
      } finally {
        long stop = System.nanoTime();
        operator.close();
        System.out.printf(
            Locale.ROOT,
            "%nstopped the operator in %.1f s; closing the client and the mock server%n",
            seconds(System.nanoTime() - stop));
      }
    }
  }

  private int measure(
      KubernetesClient client,
      MockApiServer server,
      TollgateOperator operator,
      OperatorMetrics metrics,
      JvmProbe probe)
      throws InterruptedException {
    // Phase 1: cold start. The fleet exists; the operator starts now.
    Phase phase1 = new Phase(server, probe, metrics);
    operator.start();
    System.out.printf(
        Locale.ROOT,
        "%nphase 1: operator started (start() returned after %.1f s); waiting for all %d"
            + " identities to be Ready with a published bundle%n",
        seconds(System.nanoTime() - phase1.start),
        identities);
    Progress ready = await(client, metrics, phase1.start, OperatorScaleBenchmark::readyWithBundle);
    if (ready == null) {
      return fail(metrics, "phase 1");
    }
    phase1.done(server, probe, metrics);
    int mismatched = checkConfigMaps(client, ready.revisions());
    phase1.settled(settle(metrics), metrics);

    // Phase 2: one policy that every identity applies changes.
    Phase phase2 = new Phase(server, probe, metrics);
    client
        .resources(ToolPolicy.class)
        .inNamespace(Fleet.NAMESPACE)
        .withName(Fleet.SHARED_POLICY)
        .edit(
            policy -> {
              Fleet.tighten(policy);
              return policy;
            });
    System.out.printf(
        Locale.ROOT,
        "%nphase 2: added a rule to %s (selected by every identity); waiting for all %d"
            + " identities to report a new bundle revision%n",
        Fleet.SHARED_POLICY,
        identities);
    Map<String, String> before = ready.revisions();
    Progress updated =
        await(
            client,
            metrics,
            phase2.start,
            identity ->
                readyWithBundle(identity)
                    && !Objects.equals(revision(identity), before.get(name(identity))));
    if (updated == null) {
      return fail(metrics, "phase 2");
    }
    phase2.done(server, probe, metrics);
    int mismatchedAfter = checkConfigMaps(client, updated.revisions());
    phase2.settled(settle(metrics), metrics);
    long liveHeap = JvmProbe.liveHeapAfterFullGc();

    System.out.printf(
        Locale.ROOT,
        "%n==== results: %d identities x %d policies (Fabric8 mock API server, CRUD mode,"
            + " one process) ====%n",
        identities,
        policies);
    System.out.printf(
        Locale.ROOT,
        "(1) operator start -> all %d Ready with bundles published: %.1f s%n",
        identities,
        seconds(phase1.wall()));
    phase1.report(ready, mismatched);
    System.out.printf(
        Locale.ROOT,
        "(2) shared policy change -> all %d on the new revision: %.1f s%n",
        identities,
        seconds(phase2.wall()));
    phase2.report(updated, mismatchedAfter);
    System.out.printf(
        Locale.ROOT,
        "heap: peak used %s (sampled every 100 ms, garbage included), peak after a GC %s,"
            + " live at the end %s (after System.gc()); max heap %s%n",
        mib(probe.peakHeapUsed()),
        mib(probe.peakHeapAfterGc()),
        mib(liveHeap),
        mib(JvmProbe.maxHeap()));
    System.out.println(
        "    (one process: the heap holds the mock server's store and the operator's informer caches)");
    System.out.printf(
        Locale.ROOT,
        "load average at the end: %s (other processes on the machine skew the figures)%n",
        loadAverage());
    phase1.details("phase 1");
    phase2.details("phase 2");
    return mismatched == 0 && mismatchedAfter == 0 ? 0 : 1;
  }

  /** What one phase cost: wall time to done, and the counters between its start and its end. */
  private final class Phase {

    final long start;
    private final MockApiServer.Stats stats0;
    private final JvmProbe.CpuSnapshot cpu0;
    private final long gcCount0;
    private final long gcMillis0;
    private final String scrape0;
    private long end;
    private MockApiServer.Stats requests;
    private Map<String, Long> cpu;
    private long processCpu;
    private long gcCount;
    private long gcMillis;
    private String scrapeAtDone;
    private String scrapeSettled;
    private boolean quiet;

    Phase(MockApiServer server, JvmProbe probe, OperatorMetrics metrics) {
      stats0 = server.stats();
      cpu0 = probe.cpu();
      gcCount0 = probe.gcCount();
      gcMillis0 = probe.gcMillis();
      scrape0 = metrics.scrape();
      start = System.nanoTime();
    }

    void done(MockApiServer server, JvmProbe probe, OperatorMetrics metrics) {
      end = System.nanoTime();
      JvmProbe.CpuSnapshot cpu1 = probe.cpu();
      requests = server.stats().minus(stats0);
      cpu = cpu1.since(cpu0, 8);
      processCpu = cpu1.processNanos() - cpu0.processNanos();
      gcCount = probe.gcCount() - gcCount0;
      gcMillis = probe.gcMillis() - gcMillis0;
      scrapeAtDone = metrics.scrape();
    }

    void settled(boolean wasQuiet, OperatorMetrics metrics) {
      quiet = wasQuiet;
      scrapeSettled = metrics.scrape();
    }

    long wall() {
      return end - start;
    }

    void report(Progress progress, int mismatched) {
      System.out.printf(
          Locale.ROOT,
          "    first done after %.1f s, half after %.1f s; bundle ConfigMaps not holding the"
              + " status revision: %d%n",
          seconds(progress.first()),
          seconds(progress.half()),
          mismatched);
      System.out.printf(
          Locale.ROOT,
          "    process CPU %.1f s (%.2f of %d cores busy on average); %d GCs, %.1f s%n",
          processCpu / 1e9,
          processCpu / (double) wall(),
          Runtime.getRuntime().availableProcessors(),
          gcCount,
          gcMillis / 1000.0);
      Map<String, Long> atDone = byKind(scrapeAtDone, scrape0);
      Map<String, Long> settled = byKind(scrapeSettled, scrape0);
      long identityReconciles = settled.getOrDefault("AgentIdentity", 0L);
      System.out.printf(
          Locale.ROOT,
          "    reconciles started: %s by then; %s once settled%s (%.2f AgentIdentity"
              + " reconciles per identity)%n",
          atDone,
          settled,
          quiet ? "" : " (still busy after 2 min)",
          identityReconciles / (double) identities);
      String identityTimer = "controller=\"" + "agentidentity" + "\"";
      double count =
          delta(
              scrapeSettled,
              scrape0,
              "operator_sdk_controllers_execution_reconcile_seconds_count",
              identityTimer);
      double sum =
          delta(
              scrapeSettled,
              scrape0,
              "operator_sdk_controllers_execution_reconcile_seconds_sum",
              identityTimer);
      double bundles = delta(scrapeSettled, scrape0, "tollgate_bundle_size_bytes_count", "");
      double bytes = delta(scrapeSettled, scrape0, "tollgate_bundle_size_bytes_sum", "");
      double failures =
          delta(scrapeSettled, scrape0, "operator_sdk_reconciliations_failed_total", "");
      System.out.printf(
          Locale.ROOT,
          "    AgentIdentity reconcile executions %.0f, mean %.0f ms wall each (JOSDK runs up"
              + " to 50 at once); bundles compiled %.0f, mean %,.0f bytes; failed reconciles %.0f%n",
          count,
          count == 0 ? 0 : sum / count * 1000,
          bundles,
          bundles == 0 ? 0 : bytes / bundles,
          failures);
    }

    void details(String title) {
      requests(title + " mock API requests", requests, wall());
      cpu(title + " CPU ms by thread group (start to all done)", cpu);
    }
  }

  /** When the first, half and all identities were done (nanoseconds since the phase started). */
  record Progress(Map<String, String> revisions, long first, long half, long all) {}

  /**
   * Compiles the whole fleet offline once (the CLI's path), so a broken fleet fails before any
   * timing.
   */
  private void checkFleetCompiles() {
    List<SourceObject> objects = new ArrayList<>();
    for (HasMetadata object : Fleet.all(identities, policies)) {
      objects.add(SourceObjects.of((CustomResource<?, ?>) object));
    }
    PolicySet set = PolicySet.of(objects);
    if (!set.isValid()) {
      throw new IllegalStateException("the generated fleet has problems: " + set.problems());
    }
    Compilation compilation =
        new BundleCompiler().compile(set, SourceObjects.refOf(Fleet.identity(0)));
    String json =
        BundleCodec.toJson(
            compilation
                .bundle()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "identity 0 does not compile: " + compilation.problems())));
    int policiesOf0 =
        set.policiesFor(set.identity(SourceObjects.refOf(Fleet.identity(0))).orElseThrow()).size();
    System.out.printf(
        Locale.ROOT,
        "  bundle of %s: %d policies, %d rules, %,d bytes%n",
        Fleet.identityName(0),
        policiesOf0,
        compilation.bundle().orElseThrow().rules().size(),
        json.length());
  }

  private void createFleet(KubernetesClient client) throws InterruptedException {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(Fleet.NAMESPACE)
                .endMetadata()
                .build())
        .create();
    List<HasMetadata> objects = Fleet.all(identities, policies);
    long start = System.nanoTime();
    AtomicInteger counter = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads, task -> new Thread(task, "bench-create-" + counter.incrementAndGet()));
    List<Future<?>> created = new ArrayList<>();
    for (HasMetadata object : objects) {
      created.add(pool.submit(() -> client.resource(object).create()));
    }
    pool.shutdown();
    List<String> failures = new ArrayList<>();
    for (Future<?> future : created) {
      try {
        future.get();
      } catch (ExecutionException e) {
        failures.add(String.valueOf(e.getCause()));
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException(
          failures.size() + " objects could not be created, first: " + failures.get(0));
    }
    System.out.printf(
        Locale.ROOT,
        "created %d objects with %d threads in %.1f s (before the operator starts)%n",
        objects.size(),
        threads,
        seconds(System.nanoTime() - start));
  }

  /**
   * Lists the identities every poll interval until all satisfy {@code done}; returns their
   * revisions by name and when the first, half and all were done, or null on timeout.
   */
  private Progress await(
      KubernetesClient client, OperatorMetrics metrics, long since, Predicate<AgentIdentity> done)
      throws InterruptedException {
    long deadline = since + timeout.toNanos();
    long nextReport = since + Duration.ofSeconds(5).toNanos();
    long first = -1;
    long half = -1;
    while (true) {
      List<AgentIdentity> items =
          client.resources(AgentIdentity.class).inNamespace(Fleet.NAMESPACE).list().getItems();
      long count = items.stream().filter(done).count();
      long now = System.nanoTime();
      if (count > 0 && first < 0) {
        first = now - since;
      }
      if (count * 2 >= identities && half < 0) {
        half = now - since;
      }
      boolean all = count == identities && items.size() == identities;
      if (all || now >= nextReport) {
        System.out.printf(
            Locale.ROOT,
            "  [%6.1f s] %d/%d done, reconciles started %s%n",
            seconds(now - since),
            count,
            identities,
            byKind(metrics.scrape(), null));
        nextReport += Duration.ofSeconds(5).toNanos();
      }
      if (all) {
        Map<String, String> revisions = new HashMap<>();
        items.forEach(identity -> revisions.put(name(identity), revision(identity)));
        return new Progress(revisions, first, half, now - since);
      }
      if (now >= deadline) {
        System.out.printf(
            Locale.ROOT, "  timed out after %s with %d/%d done%n", timeout, count, identities);
        return null;
      }
      Thread.sleep(pollMillis);
    }
  }

  /**
   * Waits until the operator is idle: no reconcile submitted or finished for 3 s, and as many
   * finished as submitted. False if it was still busy after 2 minutes.
   */
  private static boolean settle(OperatorMetrics metrics) throws InterruptedException {
    String last = progressOf(metrics.scrape());
    long quietSince = System.nanoTime();
    long deadline = quietSince + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(250);
      String scrape = metrics.scrape();
      String now = progressOf(scrape);
      if (!now.equals(last)) {
        last = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince >= Duration.ofSeconds(3).toNanos()
          && metric(scrape, "operator_sdk_controllers_execution_reconcile_seconds_count", "")
              >= metric(scrape, "operator_sdk_reconciliations_started_total", "")) {
        return true;
      }
    }
    return false;
  }

  private static String progressOf(String scrape) {
    return metric(scrape, "operator_sdk_reconciliations_started_total", "")
        + "/"
        + metric(scrape, "operator_sdk_controllers_execution_reconcile_seconds_count", "");
  }

  /** How many bundle ConfigMaps do not hold the revision their identity's status names. */
  private int checkConfigMaps(KubernetesClient client, Map<String, String> revisions) {
    Map<String, String> published = new HashMap<>();
    for (ConfigMap cm :
        client
            .configMaps()
            .inNamespace(Fleet.NAMESPACE)
            .withLabel(BundleConfigMaps.COMPONENT_LABEL, "bundle")
            .list()
            .getItems()) {
      String identity = cm.getMetadata().getLabels().get(BundleConfigMaps.IDENTITY_LABEL);
      published.put(
          identity, cm.getMetadata().getAnnotations().get(BundleConfigMaps.REVISION_ANNOTATION));
    }
    int mismatched = 0;
    for (Map.Entry<String, String> entry : revisions.entrySet()) {
      if (!Objects.equals(entry.getValue(), published.get(entry.getKey()))) {
        mismatched++;
      }
    }
    return mismatched;
  }

  private int fail(OperatorMetrics metrics, String phase) {
    System.out.println("FAILED: " + phase + " did not finish within " + timeout);
    System.out.println(
        metrics
            .scrape()
            .lines()
            .filter(l -> l.startsWith("tollgate_operator_reconcile"))
            .filter(l -> !l.contains("_bucket"))
            .reduce("", (a, b) -> a + b + "\n"));
    return 1;
  }

  static boolean readyWithBundle(AgentIdentity identity) {
    var status = identity.getStatus();
    if (status == null
        || status.getBundle() == null
        || status.getBundle().getRevision() == null
        || status.getConditions() == null) {
      return false;
    }
    long generation =
        identity.getMetadata().getGeneration() == null ? 0 : identity.getMetadata().getGeneration();
    return Objects.equals(status.getObservedGeneration(), generation)
        && status.getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String revision(AgentIdentity identity) {
    return identity.getStatus() == null || identity.getStatus().getBundle() == null
        ? null
        : identity.getStatus().getBundle().getRevision();
  }

  private static String name(AgentIdentity identity) {
    return identity.getMetadata().getName();
  }

  private static double delta(String scrape, String earlier, String name, String labelFilter) {
    return metric(scrape, name, labelFilter)
        - (earlier == null ? 0 : metric(earlier, name, labelFilter));
  }

  /** Reconciles started per kind (the counter's {@code kind} label) since {@code earlier}. */
  static Map<String, Long> byKind(String scrape, String earlier) {
    Map<String, Long> kinds = new TreeMap<>();
    String name = "operator_sdk_reconciliations_started_total{";
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name)) {
        Matcher kind = Pattern.compile("kind=\"([^\"]*)\"").matcher(line);
        if (kind.find()) {
          long count = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          String prefix = line.substring(0, line.lastIndexOf(' '));
          long before =
              earlier == null
                  ? 0
                  : earlier
                      .lines()
                      .filter(l -> l.startsWith(prefix + " "))
                      .mapToLong(
                          l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                      .sum();
          kinds.merge(kind.group(1), count - before, Long::sum);
        }
      }
    }
    return kinds;
  }

  /** The sum of the samples of a Prometheus metric whose labels contain {@code labelFilter}. */
  static double metric(String scrape, String name, String labelFilter) {
    double sum = 0;
    for (String line : scrape.split("\n")) {
      if ((line.startsWith(name + "{") || line.startsWith(name + " "))
          && line.contains(labelFilter)) {
        String value = line.substring(line.lastIndexOf(' ') + 1);
        sum += Double.parseDouble(value);
      }
    }
    return sum;
  }

  private static void requests(String title, MockApiServer.Stats stats, long wallNanos) {
    System.out.printf(
        Locale.ROOT,
        "%s: %,d; %.1f s of wall time inside the mock's dispatcher (%.0f%% of the"
            + " phase; includes waiting for a CPU and for the mock's store lock)%n",
        title,
        stats.total(),
        stats.dispatchNanos() / 1e9,
        100.0 * stats.dispatchNanos() / wallNanos);
    stats.requests().entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(
            entry ->
                System.out.printf(
                    Locale.ROOT, "    %-40s %,8d%n", entry.getKey(), entry.getValue()));
  }

  private static void cpu(String title, Map<String, Long> byGroup) {
    System.out.println(title + ":");
    byGroup.forEach(
        (group, millis) -> System.out.printf(Locale.ROOT, "    %-40s %,8d%n", group, millis));
  }

  private static String loadAverage() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", load);
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }
}
