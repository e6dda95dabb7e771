package dev.tollgate.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar as a real process, the way the webhook injects it. */
class SidecarJarIT {

  private static final Path JAR =
      Path.of(System.getProperty("tollgate.sidecarJar", "target/tollgate-sidecar.jar"));

  @TempDir Path dir;

  @Test
  void refusesToStartOnBadSettingsNamingEachOne() throws Exception {
    Process process =
        new ProcessBuilder(
                "java", "-jar", JAR.toString(), "--listen", "0.0.0.0:1", "--threads", "0")
            .redirectErrorStream(true)
            .start();
    try {
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String output = new String(process.getInputStream().readAllBytes());
      assertThat(process.exitValue()).isEqualTo(2);
      assertThat(output)
          .contains("tollgate-sidecar: --bundle (TOLLGATE_BUNDLE) is required")
          .contains("tollgate-sidecar: --listen (TOLLGATE_LISTEN) must be a loopback address")
          .contains(
              "tollgate-sidecar: --threads (TOLLGATE_THREADS) must be between 1 and 256, got 0")
          .doesNotContain("Exception");
    } finally {
      process.destroyForcibly().waitFor();
    }
  }

  @Test
  void decidesOnLoopbackWritesAuditToStdoutOnlyAndStopsOnSigterm() throws Exception {
    Path bundle = dir.resolve("bundle.json");
    Files.writeString(
        bundle, SidecarFixture.bundle(SidecarFixture.POLICIES.replace("MODE", "Enforce")));
    int port = freePort();
    Path stdout = dir.resolve("stdout.log");
    Path stderr = dir.resolve("stderr.log");
    Process process =
        new ProcessBuilder(
                "java",
                "-XX:+UseSerialGC",
                "-Xmx64m",
                "-jar",
                JAR.toString(),
                "--bundle",
                bundle.toString(),
                "--listen",
                "127.0.0.1:" + port)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      awaitReady(http, port, process);

      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/v1/hooks/claude-code"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          SidecarFixture.preToolUse("Bash", "{\"command\":\"rm -rf /\"}", "jar-1")))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).contains("\"permissionDecision\":\"deny\"");

      process.destroy(); // SIGTERM, as the kubelet sends
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();

      List<JsonNode> audit = new ArrayList<>();
      for (String line : Files.readAllLines(stdout)) {
        audit.add(SidecarFixture.JSON.readTree(line));
      }
      assertThat(audit)
          .extracting(line -> line.path("type").asText())
          .containsExactly("tool_call.attempted", "tool_call.denied");
      assertThat(audit)
          .allSatisfy(
              line -> assertThat(line.path("schema").asText()).isEqualTo("tollgate.dev/audit/v1"));
      assertThat(Files.readString(stderr))
          .contains("\"message\":\"bundle revision ")
          .doesNotContain("tool_call.");
    } finally {
      process.destroyForcibly().waitFor();
    }
  }

  @Test
  void copiesItsAuditToTheExportReceiverAndDeliversTheRestOnSigterm() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    List<String> contentTypes = new CopyOnWriteArrayList<>();
    HttpServer receiver =
        receiver(
            exchange -> {
              contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
              received.addAll(
                  new String(exchange.getRequestBody().readAllBytes()).lines().toList());
            });
    Path stdout = dir.resolve("stdout.log");
    int port = freePort();
    Process process =
        sidecar(
            port,
            stdout,
            "--audit-export-endpoint",
            "http://127.0.0.1:" + receiver.getAddress().getPort() + "/audit",
            "--audit-export-flush-interval-ms",
            "60000");
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      awaitReady(http, port, process);
      assertThat(deny(http, port, "jar-export-1")).contains("\"permissionDecision\":\"deny\"");
      assertThat(received).isEmpty(); // a partial batch waits for the flush interval...

      process.destroy();
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();

      // ...or for the shutdown, which sends it: the receiver has exactly the stdout lines.
      assertThat(received).hasSize(2).containsExactlyElementsOf(Files.readAllLines(stdout));
      assertThat(contentTypes).containsOnly("application/x-ndjson");
    } finally {
      process.destroyForcibly().waitFor();
      receiver.stop(0);
    }
  }

  @Test
  void aReceiverThatNeverAnswersDelaysNoDecision() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    HttpServer receiver =
        receiver(
            exchange -> {
              try {
                never.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Path stdout = dir.resolve("stdout.log");
    int port = freePort();
    Process process =
        sidecar(
            port,
            stdout,
            "--audit-export-endpoint",
            "http://127.0.0.1:" + receiver.getAddress().getPort() + "/audit",
            "--audit-export-batch-size",
            "1",
            "--audit-export-timeout-ms",
            "30000");
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      awaitReady(http, port, process);
      for (int i = 0; i < 50; i++) {
        long start = System.nanoTime();
        assertThat(deny(http, port, "jar-hang-" + i)).contains("\"permissionDecision\":\"deny\"");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      }
      process.destroy();
      // The shutdown gives the hanging export at most 10 s, not its 30 s timeout twice.
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
      assertThat(Files.readAllLines(stdout)).hasSize(100);
    } finally {
      never.countDown();
      process.destroyForcibly().waitFor();
      receiver.stop(0);
    }
  }

  @Test
  void refusesToStartOnABadExportSetting() throws Exception {
    Process process =
        new ProcessBuilder(
                "java",
                "-jar",
                JAR.toString(),
                "--bundle",
                "b.json",
                "--audit-export-endpoint",
                "logs:4318",
                "--audit-export-protocol",
                "grpc")
            .redirectErrorStream(true)
            .start();
    try {
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String output = new String(process.getInputStream().readAllBytes());
      assertThat(process.exitValue()).isEqualTo(2);
      assertThat(output)
          .contains(
              "tollgate-sidecar: --audit-export-protocol (TOLLGATE_AUDIT_EXPORT_PROTOCOL) must be http or otlp, got 'grpc'")
          .contains(
              "tollgate-sidecar: --audit-export-endpoint (TOLLGATE_AUDIT_EXPORT_ENDPOINT) must be an absolute http or https URL")
          .doesNotContain("Exception");
    } finally {
      process.destroyForcibly().waitFor();
    }
  }

  private Process sidecar(int port, Path stdout, String... extra) throws Exception {
    Path bundle = dir.resolve("bundle.json");
    Files.writeString(
        bundle, SidecarFixture.bundle(SidecarFixture.POLICIES.replace("MODE", "Enforce")));
    List<String> command =
        new ArrayList<>(
            List.of(
                "java",
                "-XX:+UseSerialGC",
                "-Xmx64m",
                "-jar",
                JAR.toString(),
                "--bundle",
                bundle.toString(),
                "--listen",
                "127.0.0.1:" + port));
    command.addAll(List.of(extra));
    return new ProcessBuilder(command)
        .redirectOutput(stdout.toFile())
        .redirectError(dir.resolve("stderr.log").toFile())
        .start();
  }

  private static String deny(HttpClient http, int port, String callId) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/hooks/claude-code"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        SidecarFixture.preToolUse("Bash", "{\"command\":\"rm -rf /\"}", callId)))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** A receiver on loopback that runs {@code handler} on each request, then answers 200. */
  private static HttpServer receiver(HttpHandler handler) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            handler.handle(exchange);
            exchange.sendResponseHeaders(200, -1);
          }
        });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    return server;
  }

  private static void awaitReady(HttpClient http, int port, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("sidecar process exited early").isTrue();
      try {
        HttpResponse<String> ready =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    throw new AssertionError("sidecar not ready within 30 s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
