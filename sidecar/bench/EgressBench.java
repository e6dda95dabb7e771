import dev.tollgate.engine.bundle.BundleCodec;
import dev.tollgate.engine.bundle.BundleCompiler;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.Kind;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.ObjectRef;
import dev.tollgate.engine.source.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Egress gate benchmark: the real sidecar jar in its own process, destinations on loopback.
 * Measures the latency a connection through the gate adds (connect, CONNECT, one byte echoed),
 * the throughput of a large download through a tunnel against a direct one, and the sidecar's RSS
 * with 100 open tunnels.
 *
 * <p>Run from the repository root after {@code mvn -o -pl sidecar -am package -DskipTests}:
 * {@code java -cp sidecar/target/tollgate-sidecar.jar sidecar/bench/EgressBench.java}
 */
public class EgressBench {

  static final int ROUNDS = Integer.getInteger("rounds", 2000);
  static final long DOWNLOAD = Long.getLong("bytes", 1L << 30);

  /**
   * {@code -Dsource=HOST:PORT}: download from a server elsewhere (egress-link.sh starts one in a
   * network namespace behind a rate-limited veth, as a pod's link to the world) instead of the
   * in-process one on loopback. Latency and RSS are still measured on loopback.
   */
  static final String SOURCE = System.getProperty("source", "");

  public static void main(String[] args) throws Exception {
    ExecutorService threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    });
    ServerSocket echo = serve(threads, socket -> socket.getInputStream().transferTo(socket.getOutputStream()));
    byte[] chunk = new byte[1 << 20];
    Arrays.fill(chunk, (byte) 'x');
    ServerSocket source =
        serve(
            threads,
            socket -> {
              OutputStream out = socket.getOutputStream();
              for (long sent = 0; sent < DOWNLOAD; sent += chunk.length) {
                out.write(chunk);
              }
              socket.shutdownOutput();
            });
    Path dir = Files.createTempDirectory("egress-bench");
    Path bundle = dir.resolve("bundle.json");
    String sourceHost = SOURCE.isEmpty() ? "127.0.0.1" : SOURCE.substring(0, SOURCE.lastIndexOf(':'));
    int sourcePort =
        SOURCE.isEmpty()
            ? source.getLocalPort()
            : Integer.parseInt(SOURCE.substring(SOURCE.lastIndexOf(':') + 1));
    Files.writeString(bundle, bundle(sourceHost, echo.getLocalPort(), sourcePort));
    int proxyPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      proxyPort = free.getLocalPort();
    }
    Process sidecar =
        new ProcessBuilder(
                "java", "-jar", "sidecar/target/tollgate-sidecar.jar",
                "--bundle", bundle.toString(),
                "--listen", "127.0.0.1:0",
                "--egress-listen", "127.0.0.1:" + proxyPort,
                "--events", "off", "--pod", "bench", "--namespace", "bench")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      waitFor(proxyPort, echo.getLocalPort());
      // Warm both paths up (JIT, connection set-up code).
      latencies(echo.getLocalPort(), -1, 500);
      latencies(echo.getLocalPort(), proxyPort, 500);
      long[] direct = latencies(echo.getLocalPort(), -1, ROUNDS);
      long[] gated = latencies(echo.getLocalPort(), proxyPort, ROUNDS);
      System.out.printf(
          "connect+1 byte echoed, %d rounds: direct p50 %d us p99 %d us; through the gate p50 %d us p99 %d us; added p50 %d us p99 %d us%n",
          ROUNDS, pct(direct, 50), pct(direct, 99), pct(gated, 50), pct(gated, 99),
          pct(gated, 50) - pct(direct, 50), pct(gated, 99) - pct(direct, 99));
      download(sourceHost, sourcePort, -1);
      download(sourceHost, sourcePort, proxyPort);
      double directMbs = 0;
      double gatedMbs = 0;
      for (int i = 0; i < 3; i++) {
        directMbs = Math.max(directMbs, download(sourceHost, sourcePort, -1));
        gatedMbs = Math.max(gatedMbs, download(sourceHost, sourcePort, proxyPort));
      }
      System.out.printf(
          "download of %d MiB from %s:%d (best of 3): direct %.0f MiB/s, through a tunnel %.0f MiB/s (%.0f%%)%n",
          DOWNLOAD >> 20, sourceHost, sourcePort, directMbs, gatedMbs, 100 * gatedMbs / directMbs);
      System.gc();
      Thread.sleep(500);
      long before = rssKib(sidecar.pid());
      List<Socket> tunnels = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        Socket s = tunnel(proxyPort, echo.getLocalPort());
        s.getOutputStream().write(1);
        s.getInputStream().read();
        tunnels.add(s);
      }
      Thread.sleep(500);
      long with = rssKib(sidecar.pid());
      System.out.printf(
          "sidecar RSS: %d MiB before, %d MiB with 100 open tunnels (+%d KiB)%n",
          before >> 10, with >> 10, with - before);
      for (Socket s : tunnels) {
        s.close();
      }
    } finally {
      sidecar.destroy();
      sidecar.waitFor();
      echo.close();
      source.close();
      threads.shutdownNow();
    }
  }

  interface Behaviour {
    void serve(Socket socket) throws IOException;
  }

  static ServerSocket serve(ExecutorService threads, Behaviour behaviour) throws IOException {
    ServerSocket server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    threads.execute(
        () -> {
          while (!server.isClosed()) {
            try {
              Socket socket = server.accept();
              threads.execute(
                  () -> {
                    try (socket) {
                      behaviour.serve(socket);
                    } catch (IOException e) {
                      // The client went away.
                    }
                  });
            } catch (IOException e) {
              return;
            }
          }
        });
    return server;
  }

  static String bundle(String sourceHost, int echoPort, int sourcePort) {
    String yaml =
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: bench, namespace: bench}
        spec: {serviceAccountName: bench, toolScopes: [{name: net}]}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: net, namespace: bench}
        spec:
          egress: [{host: 127.0.0.1, ports: [%d]}, {host: "%s", ports: [%d]}]
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: net, namespace: bench}
        spec:
          agents: {names: [bench]}
          rules:
            - {name: egress, tools: [Egress], effect: Allow}
            - {name: no-metadata, tools: [Egress], effect: Deny, when: "resource.ipKind == 'metadata'"}
        """
            .formatted(echoPort, sourceHost, sourcePort);
    List<ManifestLoader.Document> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    new ManifestLoader().readText(yaml, "bench.yaml", documents, problems);
    return BundleCodec.toJson(
        new BundleCompiler()
            .compile(
                PolicySet.fromDocuments(documents, "default"),
                new ObjectRef(Kind.AGENT_IDENTITY, "bench", "bench"))
            .bundle()
            .orElseThrow());
  }

  /** Until the gate answers 200: it refuses (NoBundle) until the bundle is loaded. */
  static void waitFor(int proxyPort, int port) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      try (Socket s = tunnel(proxyPort, port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("the sidecar did not start");
  }

  static Socket tunnel(int proxyPort, int port) throws IOException {
    return tunnel(proxyPort, "127.0.0.1", port);
  }

  static Socket tunnel(int proxyPort, String host, int port) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), proxyPort);
    s.setTcpNoDelay(true);
    OutputStream out = s.getOutputStream();
    out.write(("CONNECT " + host + ":" + port + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("proxy closed: " + head);
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    if (!head.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200")) {
      throw new IOException("refused: " + head);
    }
    return s;
  }

  static long[] latencies(int port, int proxyPort, int rounds) throws IOException {
    long[] micros = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      try (Socket s =
          proxyPort < 0
              ? new Socket(InetAddress.getLoopbackAddress(), port)
              : tunnel(proxyPort, port)) {
        s.setTcpNoDelay(true);
        s.getOutputStream().write(7);
        if (s.getInputStream().read() != 7) {
          throw new IOException("no echo");
        }
      }
      micros[i] = (System.nanoTime() - start) / 1_000;
    }
    Arrays.sort(micros);
    return micros;
  }

  static long pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
  }

  static double download(String host, int port, int proxyPort) throws IOException {
    long start = System.nanoTime();
    long total = 0;
    try (Socket s =
        proxyPort < 0 ? new Socket(host, port) : tunnel(proxyPort, host, port)) {
      byte[] buffer = new byte[1 << 16];
      InputStream in = s.getInputStream();
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return total / seconds / (1 << 20);
  }

  static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
