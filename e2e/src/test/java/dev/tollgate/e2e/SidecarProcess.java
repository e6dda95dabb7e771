package dev.tollgate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.BundleConfigMaps;
import dev.tollgate.testsupport.SidecarJvm;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * The real sidecar jar as a process, configured as the webhook configured the injected container of
 * a stored pod (its args and env, downward-API fields resolved from the pod), except where a pod
 * and a test process differ: the bundle is the identity's ConfigMap written to a file, the
 * listeners take free loopback ports, and the Kubernetes credentials are a kubeconfig (KUBECONFIG)
 * of the identity's service account instead of the mounted token. Its stdout (the audit trail) and
 * stderr (logs) go to files the test reads.
 */
final class SidecarProcess implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = Logger.getLogger(SidecarProcess.class.getName());
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern FIELD_ANNOTATION =
      Pattern.compile("metadata\\.annotations\\['([^']+)'\\]");

  private final TollgateCluster cluster;
  private final Pod pod;
  private final Path bundle;
  private final Path stdout;
  private final Path stderr;
  private final Process process;
  private final int port;

  private SidecarProcess(
      TollgateCluster cluster,
      Pod pod,
      Path bundle,
      Path stdout,
      Path stderr,
      Process process,
      int port) {
    this.cluster = cluster;
    this.pod = pod;
    this.bundle = bundle;
    this.stdout = stdout;
    this.stderr = stderr;
    this.process = process;
    this.port = port;
  }

  private static String sidecarJava(TollgateCluster cluster) {
    try {
      return SidecarJvm.command(cluster.repoRoot()).get(0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find the decision point's java", e);
    }
  }

  private static String withoutImageAotCache(String flags) {
    return Arrays.stream(flags.split(" "))
        .filter(flag -> !flag.startsWith("-XX:AOTCache="))
        .collect(Collectors.joining(" "));
  }

  /**
   * Starts the sidecar for {@code pod} (as stored, injected) with the extra flags, and waits until
   * it listens with the identity's current bundle.
   */
  static SidecarProcess start(TollgateCluster cluster, Pod pod, Path dir, String... extraArgs) {
    Path jar = cluster.repoRoot().resolve("sidecar/target/tollgate-sidecar.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build the sidecar module first (the e2e module depends on it)");
    }
    Container injected = injectedSidecar(pod);
    Path bundle = dir.resolve("bundle.json");
    writeBundle(cluster, pod.getMetadata().getNamespace(), bundle);
    Path kubeconfig =
        AgentPods.serviceAccountKubeconfig(cluster, dir.resolve("sidecar.kubeconfig"));

    // The image's java (Java 25, as bin/sidecar-jvm finds it) with the injected JAVA_TOOL_OPTIONS:
    // the flags are the webhook's, only the AOT cache stays in the image.
    List<String> command = new ArrayList<>(List.of(sidecarJava(cluster), "-jar", jar.toString()));
    command.addAll(args(injected.getArgs(), bundle));
    command.addAll(List.of(extraArgs));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    // Only what the container would have: nothing of this JVM's environment (a KUBECONFIG or an
    // in-cluster KUBERNETES_SERVICE_HOST of the machine) may authenticate the sidecar instead.
    String path = env.get("PATH");
    env.clear();
    env.put("PATH", path);
    env.put("HOME", dir.toString());
    for (EnvVar var : injected.getEnv()) {
      env.put(var.getName(), value(var, pod));
    }
    env.computeIfPresent("JAVA_TOOL_OPTIONS", (name, flags) -> withoutImageAotCache(flags));
    env.put("KUBECONFIG", kubeconfig.toString());
    Path stdout = dir.resolve("sidecar.stdout");
    Path stderr = dir.resolve("sidecar.stderr");
    Process process;
    try {
      process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    int[] port = {-1};
    try {
      Awaitility.await("the sidecar listens")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException(
                      "the sidecar exited with " + process.exitValue() + ":\n" + read(stderr));
                }
                Matcher matcher = LISTENING.matcher(read(stderr));
                if (matcher.find()) {
                  port[0] = Integer.parseInt(matcher.group(1));
                }
                return port[0] > 0;
              });
      SidecarProcess sidecar =
          new SidecarProcess(cluster, pod, bundle, stdout, stderr, process, port[0]);
      Awaitility.await("the sidecar is ready")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(() -> sidecar.get("/readyz") == 200);
      return sidecar;
    } catch (RuntimeException | Error e) {
      stop(process);
      throw e;
    }
  }

  /**
   * The injected decision point: a native sidecar (init container) or, on old clusters, a
   * container.
   */
  static Container injectedSidecar(Pod pod) {
    return Stream.concat(
            pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream())
        .filter(c -> c.getName().equals("tollgate-sidecar"))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "pod " + pod.getMetadata().getName() + " has no injected tollgate-sidecar"));
  }

  /** An env var as the kubelet would set it, downward-API fields read from the stored pod. */
  static String value(EnvVar var, Pod pod) {
    if (var.getValueFrom() == null) {
      return Objects.requireNonNullElse(var.getValue(), "");
    }
    if (var.getValueFrom().getFieldRef() == null) {
      throw new IllegalStateException(
          "env "
              + var.getName()
              + " comes from something other than a field: "
              + var.getValueFrom());
    }
    String field = var.getValueFrom().getFieldRef().getFieldPath();
    Matcher annotation = FIELD_ANNOTATION.matcher(field);
    if (annotation.matches()) {
      Map<String, String> annotations = pod.getMetadata().getAnnotations();
      return annotations == null ? "" : annotations.getOrDefault(annotation.group(1), "");
    }
    return switch (field) {
      case "metadata.name" -> pod.getMetadata().getName();
      case "metadata.namespace" -> pod.getMetadata().getNamespace();
      case "metadata.uid" -> pod.getMetadata().getUid();
      default ->
          throw new IllegalStateException(
              "env " + var.getName() + ": no support for field " + field);
    };
  }

  // The container's args, with the bundle where this process finds it and free loopback ports.
  private static List<String> args(List<String> injected, Path bundle) {
    List<String> args = new ArrayList<>();
    for (int i = 0; i < injected.size(); i++) {
      String arg = injected.get(i);
      args.add(arg);
      if (i + 1 < injected.size()
          && List.of("--bundle", "--listen", "--ops-listen").contains(arg)) {
        i++;
        args.add(arg.equals("--bundle") ? bundle.toString() : "127.0.0.1:0");
      }
    }
    return args;
  }

  /**
   * Writes what the operator published for the identity (the ConfigMap's bundle.json, once it is
   * the revision the identity's status names) atomically, as a ConfigMap volume update would.
   * Returns the revision.
   */
  static String writeBundle(TollgateCluster cluster, String namespace, Path file) {
    String revision =
        Identities.awaitReady(cluster.admin(), namespace, AgentPods.IDENTITY)
            .getStatus()
            .getBundle()
            .getRevision();
    ConfigMap configMap =
        Awaitility.await("bundle ConfigMap at revision " + revision)
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> Identities.bundle(cluster.admin(), namespace, AgentPods.IDENTITY),
                cm ->
                    cm != null
                        && revision.equals(
                            cm.getMetadata()
                                .getAnnotations()
                                .get(BundleConfigMaps.REVISION_ANNOTATION)));
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, configMap.getData().get(BundleConfigMaps.DATA_KEY));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return revision;
  }

  /** Republishes the identity's current bundle to the sidecar and waits until it is in force. */
  String refreshBundle() {
    String revision = writeBundle(cluster, pod.getMetadata().getNamespace(), bundle);
    Awaitility.await("the sidecar enforces bundle revision " + revision)
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> read(stderr).contains("bundle revision " + revision + " in force"));
    return revision;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  String logs() {
    return read(stderr);
  }

  /** Every audit line written so far, parsed; a line that is not JSON fails the test. */
  List<JsonNode> audit() {
    List<JsonNode> events = new ArrayList<>();
    for (String line : read(stdout).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        events.add(JSON.readTree(line));
      } catch (IOException e) {
        throw new AssertionError("the sidecar wrote a stdout line that is not JSON: " + line, e);
      }
    }
    return events;
  }

  /** The audit events of one call, in order. */
  List<JsonNode> audit(String correlationId) {
    return audit().stream()
        .filter(e -> correlationId.equals(e.path("correlationId").asText()))
        .toList();
  }

  /** Waits for the first audit event of the call with this type ({@code tool_call.denied}...). */
  JsonNode awaitAudit(String correlationId, String type) {
    return awaitAudit(
        "audit " + type + " of " + correlationId,
        e ->
            correlationId.equals(e.path("correlationId").asText())
                && type.equals(e.path("type").asText()));
  }

  JsonNode awaitAudit(String what, Predicate<JsonNode> matching) {
    return Awaitility.await(what)
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> audit().stream().filter(matching).findFirst().orElse(null), Objects::nonNull);
  }

  /** The bundle file as the test wrote it at start (the kubelet's copy in a pod). */
  Path bundleFile() {
    return bundle;
  }

  /** A GET of {@code path} with its body ({@code /readyz} says why it is not ready). */
  HttpResponse<String> getWithBody(String path) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    return client.send(
        HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(2)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  int get(String path) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    return client
        .send(
            HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /**
   * Stops the sidecar by its PID (SIGTERM: its shutdown hook answers held calls), and waits for it.
   */
  @Override
  public void close() {
    stop(process);
    // The sidecar's own warnings go to the test log: a rejected JVM flag, a failed Event or list.
    String warnings =
        read(stderr)
            .lines()
            .filter(
                l ->
                    l.contains("\"WARNING\"")
                        || l.contains("\"SEVERE\"")
                        || !l.startsWith("{") && !l.startsWith("Picked up JAVA_TOOL_OPTIONS"))
            .collect(Collectors.joining("\n"));
    LOG.info(
        "sidecar "
            + pod.getMetadata().getName()
            + " (pid "
            + process.pid()
            + ") "
            + (process.isAlive() ? "did not stop" : "stopped with exit code " + process.exitValue())
            + (warnings.isEmpty() ? "" : "; its warnings:\n" + warnings));
  }

  static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
