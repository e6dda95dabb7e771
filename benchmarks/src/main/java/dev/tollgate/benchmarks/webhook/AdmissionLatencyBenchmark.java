package dev.tollgate.benchmarks.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.webhook.AdmissionWarmup;
import dev.tollgate.webhook.WebhookConfig;
import dev.tollgate.webhook.WebhookMain;
import dev.tollgate.webhook.admission.AdmissionRouter;
import dev.tollgate.webhook.http.AdmissionHttpHandler;
import dev.tollgate.webhook.http.AdmissionObserver;
import dev.tollgate.webhook.http.WebhookServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonDiff;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Admission latency of pod injection over HTTPS on loopback, as the API server sees it. Not a test:
 * it prints figures. The goal is p99 ≤ 5 ms.
 *
 * <ol>
 *   <li>Makes an in-memory CA and serving certificate with the webhook's {@code tls} package (no
 *       Kubernetes), starts the real {@link WebhookServer} on 127.0.0.1 and a free port with the
 *       real routes ({@link WebhookMain#router}) over a static cluster state ({@link
 *       WebhookFixture}), and checks that the fixture pod is patched with the sidecar.
 *   <li>Warmup: {@code --warmup} requests or {@code --warmup-seconds}, closed loop, {@code
 *       --connections} at a time.
 *   <li>Open loop, for each rate of {@code --rates}: sends are scheduled every 1/rate seconds for
 *       {@code --seconds}, whatever the responses do, and each latency is measured from the
 *       <em>scheduled</em> send time to the full response, so a stall delays (and counts against)
 *       every request scheduled during it: no coordinated omission. At most {@code --connections}
 *       requests are in flight: as many sender threads, each sending synchronously, take the
 *       requests in order (a request waits for a free one, and the wait counts); 0 means 256
 *       senders, so the JDK client opens a connection per concurrent request.
 *   <li>Closed loop: for each concurrency of {@code --closed-concurrency}, that many threads send
 *       back to back for {@code --closed-seconds}: the maximum throughput.
 *   <li>In-process breakdown (no HTTP, no TLS): the handler's work split into reading the review,
 *       the controller ({@code admit}: inject, two valueToTree, JSON diff), and writing the
 *       response; and the JSON-diff part alone.
 * </ol>
 *
 * <p>Every request has its own uid; every response is checked (200, the uid echoed, a JSON Patch).
 * Server-side time is what the webhook's {@link AdmissionObserver} is told (the value its
 * Prometheus timer records): from the handler's start (request line and headers already read) to
 * the response body handed to the exchange, so it excludes TLS handshakes, reading the headers, the
 * final flush and any wait for a handler thread.
 *
 * <pre>
 * java -XX:+UseSerialGC -Xmx128m -cp benchmarks/target/benchmarks.jar dev.tollgate.benchmarks.webhook.AdmissionLatencyBenchmark
 * </pre>
 *
 * Options: {@code --rates 200,1000,200} (the last once the JIT has settled) {@code --seconds 30}
 * {@code --in-process-warmup 3000} (the webhook's own start-up replay) {@code --warmup 5000} {@code
 * --warmup-seconds 30} (whichever ends first) {@code --connections 4} {@code --closed-concurrency
 * 1,8} {@code --closed-seconds 10} {@code --breakdown 3000} {@code --max-backlog-ms 5000} (an
 * open-loop phase stops, marked SATURATED, once sends fall that far behind schedule: the webhook
 * cannot sustain the rate).
 */
public final class AdmissionLatencyBenchmark {

  private static final Logger QUIET = Logger.getLogger("dev.tollgate.webhook");

  /**
   * With {@code --connections 0}, sender threads (so connections at most) all the same: without a
   * cap a webhook that cannot keep up makes the client, in this JVM, pile up requests until it runs
   * out of heap.
   */
  private static final int UNBOUNDED_IN_FLIGHT = 256;

  private final int[] rates;
  private final int seconds;
  private final int warmup;
  private final int warmupSeconds;
  private final int connections;
  private final int[] closedConcurrency;
  private final int closedSeconds;
  private final int breakdown;
  private final long maxBacklog;

  private final JvmActivity jvm = new JvmActivity();
  private final ServerTimes serverTimes = new ServerTimes();
  private final BenchTls tls;
  private final AdmissionRouter router;
  private final WebhookServer server;
  private final ExecutorService clientExecutor;
  private final HttpClient client;
  private final URI uri;
  private final AtomicLong uidCounter = new AtomicLong();
  private final long uidPrefix = System.nanoTime();

  private AdmissionLatencyBenchmark(Map<String, String> options) throws Exception {
    rates = ints(options.getOrDefault("rates", "200,1000,200"));
    seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
    warmup = Integer.parseInt(options.getOrDefault("warmup", "5000"));
    warmupSeconds = Integer.parseInt(options.getOrDefault("warmup-seconds", "30"));
    connections = Integer.parseInt(options.getOrDefault("connections", "4"));
    closedConcurrency = ints(options.getOrDefault("closed-concurrency", "1,8"));
    closedSeconds = Integer.parseInt(options.getOrDefault("closed-seconds", "10"));
    breakdown = Integer.parseInt(options.getOrDefault("breakdown", "3000"));
    maxBacklog =
        TimeUnit.MILLISECONDS.toNanos(
            Long.parseLong(options.getOrDefault("max-backlog-ms", "5000")));

    tls = new BenchTls();
    WebhookConfig config =
        WebhookConfig.from(
            Map.of(),
            new String[] {
              "--namespace",
              "tollgate-system",
              "--sidecar-image",
              "registry.example/tollgate-sidecar:0.1.0"
            });
    // What WebhookMain does before it listens: replay reviews in process so the JIT has compiled
    // the injection path (--in-process-warmup 0 measures a cold start instead).
    int inProcess = Integer.parseInt(options.getOrDefault("in-process-warmup", "3000"));
    if (inProcess > 0) {
      AdmissionWarmup.Result warmed =
          AdmissionWarmup.run(config, true, inProcess, Duration.ofSeconds(30));
      System.out.printf(
          Locale.ROOT,
          "in-process warm-up: %d reviews (first %s)%n",
          warmed.rounds(),
          warmed.firstOutcome());
    }
    router =
        WebhookMain.router(
            config,
            WebhookFixture.clusterState(),
            true,
            Clock.systemUTC(),
            AdmissionWarmup.offlineDelegation());
    server =
        new WebhookServer(
            "127.0.0.1",
            0,
            tls.serverContext(),
            new AdmissionHttpHandler(router, new KubernetesSerialization(), serverTimes));
    server.start();
    AtomicInteger threads = new AtomicInteger();
    clientExecutor =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "bench-client-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(tls.clientContext())
            .executor(clientExecutor)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    uri = URI.create("https://127.0.0.1:" + server.port() + AdmissionRouter.MUTATE_PODS);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        System.err.println(
            "usage: AdmissionLatencyBenchmark [--rates 200,1000,200] [--seconds 30] [--warmup 5000] [--warmup-seconds 30] "
                + "[--connections 4] [--closed-concurrency 1,8] [--closed-seconds 10] [--breakdown 3000] [--max-backlog-ms 5000]");
        System.exit(2);
      }
      options.put(args[i].substring(2), args[++i]);
    }
    // A failure is reported by the checks below; the handler's SEVERE log would only repeat it.
    QUIET.setLevel(Level.OFF);
    AdmissionLatencyBenchmark benchmark = new AdmissionLatencyBenchmark(options);
    try {
      benchmark.run();
    } finally {
      benchmark.close();
    }
  }

  private void run() throws Exception {
    printEnvironment();
    check();

    long started = System.nanoTime();
    JvmActivity.Snapshot before = jvm.snapshot();
    Latencies warm =
        closedLoop(
                Math.max(1, connections == 0 ? 4 : connections),
                TimeUnit.SECONDS.toNanos(warmupSeconds),
                warmup)
            .latencies();
    JvmActivity.Snapshot after = jvm.snapshot();
    System.out.printf(
        Locale.ROOT,
        "%nwarmup: %d requests closed loop in %.1f s; %s%n  client %s%n  %s%n",
        warm.count(),
        (System.nanoTime() - started) / 1e9,
        connectionsNote(),
        warm.row(),
        JvmActivity.describe(before, after, jvm.pausesSince(before)));

    for (int rate : rates) {
      openLoop(rate);
    }
    for (int concurrency : closedConcurrency) {
      serverTimes.start(closedSeconds * 20_000); // above what 2 cores serve
      before = jvm.snapshot();
      Closed closed =
          closedLoop(concurrency, TimeUnit.SECONDS.toNanos(closedSeconds), Integer.MAX_VALUE);
      after = jvm.snapshot();
      System.out.printf(
          Locale.ROOT,
          "%nclosed loop, %d concurrent, %d s: %.0f requests/s, errors %d; %s%n  client %s%n  server %s%n  %s%n",
          concurrency,
          closedSeconds,
          closed.throughput(),
          closed.errors(),
          connectionsNote(),
          closed.latencies().row(),
          serverTimes.latencies().row(),
          JvmActivity.describe(before, after, jvm.pausesSince(before)));
    }
    if (breakdown > 0) {
      breakdown(breakdown);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Open loop

  private void openLoop(int rate) throws InterruptedException {
    int total = rate * seconds;
    long period = TimeUnit.SECONDS.toNanos(1) / rate;
    long[] latency = new long[total];
    long[] service = new long[total];
    long[] scheduled = new long[total];
    Arrays.fill(latency, -1);
    Arrays.fill(service, -1);
    AtomicInteger errors = new AtomicInteger();
    AtomicLong maxLag = new AtomicLong();
    AtomicBoolean saturated = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(total);
    // One sender thread per connection, each sending synchronously: the scheduler only enqueues,
    // so it keeps time whatever the webhook does, and a request waiting for a free connection
    // waits in the queue, which counts. (Not sendAsync: on a 2-CPU machine the JDK client hops
    // every async completion onto a new thread, CompletableFuture's fallback when the common
    // pool has one worker, which loads the client, not the webhook.)
    int senders = connections > 0 ? connections : UNBOUNDED_IN_FLIGHT;
    AtomicInteger senderThreads = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            senders,
            senders,
            10,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            runnable -> {
              Thread thread =
                  new Thread(runnable, "bench-sender-" + senderThreads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    long handshakesBefore = tls.clientHandshakes();
    serverTimes.start(total);
    JvmActivity.Snapshot before = jvm.snapshot();
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    for (int i = 0; i < total; i++) {
      long intended = start + i * period;
      scheduled[i] = intended;
      sleepUntil(intended);
      if (saturated.get()) {
        for (int skipped = i; skipped < total; skipped++) {
          done.countDown();
        }
        break;
      }
      int index = i;
      pool.execute(
          () -> {
            long sent = System.nanoTime();
            maxLag.accumulateAndGet(sent - intended, Math::max);
            if (sent - intended > maxBacklog) {
              // The webhook cannot keep up at this rate: the queue would only grow. Stop the phase.
              saturated.set(true);
            }
            if (saturated.get()) {
              done.countDown();
              return;
            }
            String uid = nextUid();
            try {
              HttpResponse<String> response =
                  client.send(request(uid), HttpResponse.BodyHandlers.ofString());
              if (!ok(response, uid)) {
                errors.incrementAndGet();
              }
            } catch (IOException | InterruptedException e) {
              errors.incrementAndGet();
            }
            long now = System.nanoTime();
            latency[index] = now - intended;
            service[index] = now - sent;
            done.countDown();
          });
    }
    boolean finished = done.await(30, TimeUnit.SECONDS);
    pool.shutdownNow();
    JvmActivity.Snapshot after = jvm.snapshot();
    List<JvmActivity.Pause> pauses = jvm.pausesSince(before);
    int sends = (int) Arrays.stream(latency).filter(v -> v >= 0).count();
    System.out.printf(
        Locale.ROOT,
        "%nopen loop %d/s for %d s (%d requests, %s)%s: errors %d; client handshakes %d; %s%n",
        rate,
        seconds,
        total,
        connections > 0
            ? connections + " sender threads"
            : senders + " sender threads (connections 0)",
        finished ? "" : " UNFINISHED",
        errors.get(),
        tls.clientHandshakes() - handshakesBefore,
        connectionsNote());
    if (sends < total) {
      System.out.printf(
          Locale.ROOT,
          "  SATURATED: %d of %d requests sent before a send fell more than %d ms behind schedule;"
              + " figures below are of the requests sent%n",
          sends,
          total,
          TimeUnit.NANOSECONDS.toMillis(maxBacklog));
    }
    System.out.println(
        "  from scheduled send (what the API server waits): " + Latencies.of(latency, total).row());
    System.out.println(
        "  from actual send (hides stalls, for comparison):  "
            + Latencies.of(service, total).row());
    System.out.println(
        "  server-side (webhook's observer):                 " + serverTimes.latencies().row());
    System.out.printf(
        Locale.ROOT, "  latest send %s ms after its slot%n", Latencies.ms(maxLag.get()));
    System.out.println("  " + JvmActivity.describe(before, after, pauses));
    slowRequests(scheduled, latency, total, pauses);
  }

  /**
   * Where the requests over 5 ms fell: by stretch of the phase, and how many overlapped a
   * collection.
   */
  private void slowRequests(
      long[] scheduled, long[] latency, int total, List<JvmActivity.Pause> pauses) {
    int windows = Math.max(1, seconds / 5);
    int[] byWindow = new int[windows];
    int slow = 0;
    int duringGc = 0;
    long phaseStart = total == 0 ? 0 : scheduled[0];
    long phaseEnd =
        Arrays.stream(scheduled, 0, total)
            .max()
            .orElse(phaseStart); // slots after a saturation stay 0
    long phaseLength = Math.max(1, phaseEnd - phaseStart + 1);
    for (int i = 0; i < total; i++) {
      if (latency[i] <= Latencies.FIVE_MS) {
        continue;
      }
      slow++;
      byWindow[(int) Math.min(windows - 1, (scheduled[i] - phaseStart) * windows / phaseLength)]++;
      double from = jvm.uptimeMillis(scheduled[i]);
      double to = jvm.uptimeMillis(scheduled[i] + latency[i]);
      for (JvmActivity.Pause pause : pauses) {
        if (pause.durationMillis() >= 2
            && pause.startMillis() <= to + 1
            && pause.endMillis() >= from - 1) {
          duringGc++;
          break;
        }
      }
    }
    if (slow == 0 || total == 0) {
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "  requests over 5 ms: %d, of which %d overlapped a collection of 2 ms or more; by %d-s stretch: %s%n",
        slow,
        duringGc,
        seconds / windows,
        Arrays.toString(byWindow));
    String longest =
        pauses.stream()
            .sorted((a, b) -> Long.compare(b.durationMillis(), a.durationMillis()))
            .limit(3)
            .map(p -> p.collector() + " " + p.durationMillis() + " ms (" + p.cause() + ")")
            .collect(Collectors.joining(", "));
    if (!longest.isEmpty()) {
      System.out.println("  longest collections: " + longest);
    }
  }

  private static void sleepUntil(long deadline) {
    long remaining;
    while ((remaining = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(remaining);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Closed loop

  private record Closed(Latencies latencies, double throughput, int errors) {}

  /**
   * {@code concurrency} threads sending back to back until {@code nanos} passed or {@code requests}
   * were sent.
   */
  private Closed closedLoop(int concurrency, long nanos, int requests) throws InterruptedException {
    AtomicInteger remaining = new AtomicInteger(requests);
    AtomicInteger errors = new AtomicInteger();
    long[][] perThread = new long[concurrency][];
    int[] counts = new int[concurrency];
    Thread[] threads = new Thread[concurrency];
    long start = System.nanoTime();
    long deadline = start + nanos;
    for (int t = 0; t < concurrency; t++) {
      int slot = t;
      threads[t] =
          new Thread(
              () -> {
                long[] samples = new long[1024];
                int n = 0;
                while (System.nanoTime() - deadline < 0 && remaining.getAndDecrement() > 0) {
                  String uid = nextUid();
                  long sent = System.nanoTime();
                  try {
                    HttpResponse<String> response =
                        client.send(request(uid), HttpResponse.BodyHandlers.ofString());
                    if (!ok(response, uid)) {
                      errors.incrementAndGet();
                    }
                  } catch (IOException e) {
                    errors.incrementAndGet();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                  }
                  if (n == samples.length) {
                    samples = Arrays.copyOf(samples, n * 2);
                  }
                  samples[n++] = System.nanoTime() - sent;
                }
                perThread[slot] = samples;
                counts[slot] = n;
              },
              "bench-closed-" + t);
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int t = 0; t < concurrency; t++) {
      System.arraycopy(perThread[t], 0, all, at, counts[t]);
      at += counts[t];
    }
    return new Closed(Latencies.of(all, total), total / elapsed, errors.get());
  }

  // ---------------------------------------------------------------------------------------------
  // In-process breakdown

  private void breakdown(int iterations) {
    KubernetesSerialization serialization = new KubernetesSerialization();
    ObjectMapper json = Serialization.jsonMapper();
    long[] read = new long[iterations];
    long[] admit = new long[iterations];
    long[] write = new long[iterations];
    long[] trees = new long[iterations];
    long[] diff = new long[iterations];
    long[] clone = new long[iterations];
    JvmActivity.Snapshot before = jvm.snapshot();
    for (int round = 0;
        round < 2;
        round++) { // the first round warms the paths that HTTP did not; the second is kept
      for (int i = 0; i < iterations; i++) {
        String body = WebhookFixture.review(nextUid());
        long t0 = System.nanoTime();
        AdmissionReview review = serialization.unmarshal(body, AdmissionReview.class);
        long t1 = System.nanoTime();
        AdmissionRequest request = review.getRequest();
        AdmissionResponse response =
            router.route(AdmissionRouter.MUTATE_PODS, request).orElseThrow();
        long t2 = System.nanoTime();
        AdmissionReview answer = new AdmissionReview();
        answer.setApiVersion("admission.k8s.io/v1");
        answer.setKind("AdmissionReview");
        answer.setResponse(response);
        String out = serialization.asJson(answer);
        long t3 = System.nanoTime();
        // The controller's JSON work alone: the pod and the injected pod (the patch applied) to
        // trees, and their diff, as PodInjectionController.admit does after injecting.
        Pod pod = (Pod) request.getObject();
        JsonNode patch;
        try {
          patch = json.readTree(Base64.getDecoder().decode(response.getPatch()));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        Pod injected = json.convertValue(JsonPatch.apply(patch, json.valueToTree(pod)), Pod.class);
        long t4 = System.nanoTime();
        JsonNode beforeTree = json.valueToTree(pod);
        JsonNode afterTree = json.valueToTree(injected);
        long t5 = System.nanoTime();
        JsonNode computed = JsonDiff.asJson(beforeTree, afterTree);
        long t6 = System.nanoTime();
        Pod copy = Serialization.clone(pod);
        long t7 = System.nanoTime();
        if (out.isEmpty() || computed.isEmpty() || copy == null) {
          throw new IllegalStateException("nothing computed");
        }
        read[i] = t1 - t0;
        admit[i] = t2 - t1;
        write[i] = t3 - t2;
        trees[i] = t5 - t4;
        diff[i] = t6 - t5;
        clone[i] = t7 - t6;
      }
    }
    JvmActivity.Snapshot after = jvm.snapshot();
    System.out.printf(
        Locale.ROOT,
        "%nin-process breakdown (no HTTP/TLS), %d iterations after %d of warmup:%n",
        iterations,
        iterations);
    System.out.println("  read review (unmarshal)         " + Latencies.of(read, iterations).row());
    System.out.println(
        "  admit (route to controller)     " + Latencies.of(admit, iterations).row());
    System.out.println(
        "    of which 2x valueToTree(pod)  " + Latencies.of(trees, iterations).row());
    System.out.println("    of which JsonDiff.asJson      " + Latencies.of(diff, iterations).row());
    System.out.println(
        "    of which Serialization.clone  " + Latencies.of(clone, iterations).row());
    System.out.println(
        "  write response (asJson)         " + Latencies.of(write, iterations).row());
    System.out.println("  " + JvmActivity.describe(before, after, jvm.pausesSince(before)));
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * One request through HTTPS before measuring anything: the pod must come back patched with the
   * sidecar.
   */
  private void check() throws Exception {
    String uid = nextUid();
    HttpResponse<String> response = client.send(request(uid), HttpResponse.BodyHandlers.ofString());
    JsonNode answer = new ObjectMapper().readTree(response.body());
    String patch =
        answer.at("/response/patch").isTextual()
            ? new String(
                Base64.getDecoder().decode(answer.at("/response/patch").asText()),
                StandardCharsets.UTF_8)
            : "";
    if (response.statusCode() != 200
        || !uid.equals(answer.at("/response/uid").asText())
        || !answer.at("/response/allowed").asBoolean()
        || !patch.contains("tollgate-sidecar")
        || !ok(response, uid)) {
      throw new IllegalStateException(
          "the fixture pod was not patched with the sidecar: HTTP "
              + response.statusCode()
              + " "
              + response.body());
    }
    System.out.printf(
        Locale.ROOT,
        "check: pod patched over HTTPS (%s); request %d bytes, response %d bytes, patch %d bytes (%d operations)%n",
        response
            .sslSession()
            .map(s -> s.getProtocol() + " " + s.getCipherSuite())
            .orElse("no TLS?"),
        WebhookFixture.review(uid).length(),
        response.body().length(),
        patch.length(),
        new ObjectMapper().readTree(patch).size());
  }

  private static boolean ok(HttpResponse<String> response, String uid) {
    return response.statusCode() == 200
        && response.body().contains("\"uid\":\"" + uid + "\"")
        && response.body().contains("\"patchType\":\"JSONPatch\"");
  }

  private HttpRequest request(String uid) {
    return HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(WebhookFixture.review(uid)))
        .build();
  }

  private String nextUid() {
    return new UUID(uidPrefix, uidCounter.incrementAndGet()).toString();
  }

  private String connectionsNote() {
    int open = ClientConnections.established(server.port());
    return open < 0
        ? "open connections unknown"
        : "open connections now " + open + ", client handshakes so far " + tls.clientHandshakes();
  }

  private void printEnvironment() {
    var runtime = ManagementFactory.getRuntimeMXBean();
    System.out.printf(
        Locale.ROOT,
        "Java %s (%s), %d CPUs, max heap %d MB, GC %s%nJVM flags: %s%n",
        Runtime.version(),
        runtime.getVmName(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName)
            .collect(Collectors.joining(", ")),
        runtime.getInputArguments().isEmpty()
            ? "(none)"
            : String.join(" ", runtime.getInputArguments()));
    System.out.printf(
        Locale.ROOT,
        "server https://127.0.0.1:%d%s (WebhookServer, 8 handler threads); client: JDK HttpClient HTTP/1.1%n",
        server.port(),
        AdmissionRouter.MUTATE_PODS);
    System.out.printf(
        Locale.ROOT,
        "sun.net.httpserver.nodelay=%s%n",
        System.getProperty("sun.net.httpserver.nodelay", "(unset: false)"));
  }

  private void close() {
    server.close();
    clientExecutor.shutdownNow();
    jvm.close();
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .mapToInt(Integer::parseInt)
        .toArray();
  }

  /** Server-side time per request, as the webhook's observer (its Prometheus timer) is told. */
  private static final class ServerTimes implements AdmissionObserver {

    private volatile long[] samples = new long[0];
    private final AtomicInteger next = new AtomicInteger();

    void start(int capacity) {
      samples = new long[capacity];
      Arrays.fill(samples, -1);
      next.set(0);
    }

    Latencies latencies() {
      return Latencies.of(samples, Math.min(next.get(), samples.length));
    }

    @Override
    public void observe(String path, String outcome, long nanos) {
      long[] current = samples;
      int index = next.getAndIncrement();
      if (index < current.length) {
        current[index] = nanos;
      }
    }
  }

  /**
   * Established client-side TCP connections to the server port, from /proc/net/tcp and tcp6
   * (Linux).
   */
  private static final class ClientConnections {

    static int established(int serverPort) {
      try {
        String remotePort = String.format(Locale.ROOT, ":%04X", serverPort);
        int count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
          Path file = Path.of(table);
          if (!Files.isReadable(file)) {
            continue;
          }
          List<String> lines = Files.readAllLines(file);
          for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 3 && fields[2].endsWith(remotePort) && fields[3].equals("01")) {
              count++;
            }
          }
        }
        return count;
      } catch (IOException | RuntimeException e) {
        return -1;
      }
    }
  }
}
