package dev.tollgate.benchmarks.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Fabric8 mock API server in CRUD mode (what {@code @EnableKubernetesMockClient(crud = true)}
 * starts for the operator tests), started by hand, with a dispatcher that counts the requests it
 * serves and the time spent serving them, so a run can tell the mock's share of the work from the
 * operator's.
 */
final class MockApiServer implements AutoCloseable {

  private final CountingDispatcher dispatcher = new CountingDispatcher();
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  MockApiServer() {
    server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            new HashMap<>(),
            dispatcher,
            false);
    server.init();
    client = server.createClient();
  }

  KubernetesClient client() {
    return client;
  }

  /** Requests served so far, by {@code VERB resource}, and the time spent in the dispatcher. */
  Stats stats() {
    Map<String, Long> byKind = new TreeMap<>();
    dispatcher.counts.forEach((key, count) -> byKind.put(key, count.sum()));
    return new Stats(byKind, dispatcher.nanos.sum());
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  record Stats(Map<String, Long> requests, long dispatchNanos) {

    long total() {
      return requests.values().stream().mapToLong(Long::longValue).sum();
    }

    Stats minus(Stats earlier) {
      Map<String, Long> diff = new TreeMap<>();
      requests.forEach(
          (key, count) -> {
            long delta = count - earlier.requests.getOrDefault(key, 0L);
            if (delta != 0) {
              diff.put(key, delta);
            }
          });
      return new Stats(diff, dispatchNanos - earlier.dispatchNanos);
    }
  }

  private static final class CountingDispatcher extends KubernetesCrudDispatcher {

    /**
     * {@code /api/v1/namespaces/ns/configmaps/name} or {@code
     * /apis/g/v/namespaces/ns/plural[/name[/status]]}.
     */
    private static final Pattern PATH =
        Pattern.compile(
            "/apis?(?:/[^/]+)?/v[^/]*(?:/namespaces/[^/]+)?/([a-z0-9.-]+)(/[^/?]+)?(/status)?(?:\\?.*)?");

    final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    final LongAdder nanos = new LongAdder();

    CountingDispatcher() {
      super(List.of());
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      long start = System.nanoTime();
      try {
        return super.dispatch(request);
      } finally {
        nanos.add(System.nanoTime() - start);
        counts.computeIfAbsent(key(request), k -> new LongAdder()).increment();
      }
    }

    private static String key(RecordedRequest request) {
      String path = request.getPath() == null ? "" : request.getPath();
      String verb = request.getMethod();
      Matcher m = PATH.matcher(path);
      if (!m.matches()) {
        return verb + " " + (path.contains("?") ? path.substring(0, path.indexOf('?')) : path);
      }
      String resource = m.group(1);
      boolean named = m.group(2) != null;
      if ("GET".equals(verb)) {
        verb = path.contains("watch=true") ? "WATCH" : named ? "GET" : "LIST";
      }
      return verb + " " + resource + (m.group(3) != null ? "/status" : "");
    }
  }
}
