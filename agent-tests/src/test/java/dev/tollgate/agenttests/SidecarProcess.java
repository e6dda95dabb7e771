package dev.tollgate.agenttests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testsupport.SidecarJvm;
import java.io.IOException;
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
import java.util.Map;

/**
 * The real sidecar jar as a process on an ephemeral loopback port, the way the webhook runs it
 * (minus Kubernetes): audit on stdout, logs on stderr, both to files the test reads.
 */
public final class SidecarProcess implements AutoCloseable {

  public static final Path JAR =
      Path.of(System.getProperty("tollgate.sidecarJar", "../sidecar/target/tollgate-sidecar.jar"))
          .toAbsolutePath()
          .normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_LIMIT = Duration.ofSeconds(30);

  private final Process process;
  private final int port;
  private final Path stdout;
  private final Path stderr;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private SidecarProcess(Process process, int port, Path stdout, Path stderr) {
    this.process = process;
    this.port = port;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts the sidecar for {@code agents/repo-coder} acting for alice, and waits until it answers
   * {@code readinessPath} ({@code /readyz} needs a valid bundle; {@code /healthz} does not).
   */
  public static SidecarProcess start(
      Path bundle, Path logDir, String readinessPath, String... extraArgs) throws Exception {
    return start(bundle, logDir, readinessPath, Map.of(), extraArgs);
  }

  /** The same with more environment variables for the sidecar (e.g. {@code KUBECONFIG}). */
  public static SidecarProcess start(
      Path bundle, Path logDir, String readinessPath, Map<String, String> env, String... extraArgs)
      throws Exception {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR + " is missing: build the sidecar first (mvn -pl agent-tests -am verify)");
    }
    int port = freePort();
    Path stdout = Files.createTempFile(logDir, "sidecar-audit-", ".jsonl");
    Path stderr = Files.createTempFile(logDir, "sidecar-log-", ".jsonl");
    // The deployed flags (sidecar/jvm.options), so latencies are the ones pods see.
    List<String> command = new ArrayList<>(SidecarJvm.command(RepoCoderBundle.REPO_ROOT));
    command.addAll(
        List.of(
            "-jar",
            JAR.toString(),
            "--bundle",
            bundle.toString(),
            "--listen",
            "127.0.0.1:" + port,
            "--identity",
            RepoCoderBundle.IDENTITY,
            "--principal",
            RepoCoderBundle.PRINCIPAL,
            "--pod",
            "repo-coder-0",
            "--namespace",
            "agents",
            "--events",
            "off"));
    command.addAll(List.of(extraArgs));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    SidecarProcess sidecar = new SidecarProcess(process, port, stdout, stderr);
    try {
      sidecar.awaitStatus(readinessPath, 200);
    } catch (Exception | AssertionError e) {
      sidecar.close();
      throw e;
    }
    return sidecar;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  /** Every audit line written so far, parsed. */
  public List<JsonNode> audit() throws IOException {
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(stdout)) {
      if (!line.isBlank()) {
        events.add(JSON.readTree(line));
      }
    }
    return events;
  }

  public String log() throws IOException {
    return Files.readString(stderr);
  }

  /** Waits for a log line that contains {@code text} (e.g. a failed reload). */
  public void awaitLog(String text, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!log().contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "sidecar never logged '" + text + "' within " + limit + "; log:\n" + log());
      }
      Thread.sleep(50);
    }
  }

  public void awaitStatus(String path, int status) throws Exception {
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("sidecar exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        HttpResponse<Void> response =
            http.send(
                HttpRequest.newBuilder(URI.create(url() + path))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == status) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(25);
    }
    throw new AssertionError(
        "sidecar never answered "
            + status
            + " on "
            + path
            + " within "
            + START_LIMIT
            + ":\n"
            + log());
  }

  /** SIGTERM, as the kubelet sends; SIGKILL if it has not stopped within 10 s. */
  public void stop() {
    GracefulStop.of(process);
  }

  @Override
  public void close() {
    stop();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
