package dev.tollgate.clustertests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testsupport.tools.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one-node cluster of {@code bin/cluster} with Tollgate installed by its Helm chart ({@code
 * bin/cluster install}), for the whole test run. {@code bin/cluster down} stops every process
 * {@code up} started, by the PIDs it recorded, and puts the host back.
 */
final class NodeCluster implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  /** The node's address on the cluster bridge: the API server's, and the pods' gateway. */
  static final String NODE_ADDRESS = "10.88.0.1";

  static final String RELEASE_NAMESPACE = "tollgate-system";

  private final Path repoRoot;
  private final Path dir;
  private final Path kubectl;
  private boolean up;
  private Duration upTook = Duration.ZERO;
  private Duration installTook = Duration.ZERO;

  private NodeCluster(Path repoRoot, Path dir) {
    this.repoRoot = repoRoot;
    this.dir = dir;
    this.kubectl =
        Path.of(script("bin/control-plane", Duration.ofMinutes(1), "bin-dir").strip())
            .resolve("kubectl");
  }

  /**
   * The cluster {@code bin/cluster up DIR} runs, with Tollgate already installed; left running on
   * close (bin/quickstart owns it).
   */
  static NodeCluster attach(Path repoRoot, Path dir) {
    return new NodeCluster(repoRoot.toAbsolutePath().normalize(), dir.toAbsolutePath());
  }

  /**
   * Starts a cluster in {@code tollgate.clusterDir}, or, with {@code
   * -Dtollgate.existingCluster=DIR}, installs into the one {@code bin/cluster up DIR} already runs
   * and leaves it running (for working on these tests).
   */
  static NodeCluster start() {
    Path root = Path.of(System.getProperty("tollgate.repoRoot", "..")).toAbsolutePath().normalize();
    String existing = System.getProperty("tollgate.existingCluster", "");
    Path dir =
        Path.of(
                existing.isEmpty()
                    ? System.getProperty("tollgate.clusterDir", "target/cluster")
                    : existing)
            .toAbsolutePath();
    NodeCluster cluster = new NodeCluster(root, dir);
    try {
      Files.createDirectories(dir);
      long t0 = System.nanoTime();
      if (existing.isEmpty()) {
        cluster.up = true;
        // The first run on a machine compiles the node components (minutes): generous deadlines.
        cluster.script("bin/cluster", Duration.ofMinutes(40), "up", dir.toString());
      }
      long t1 = System.nanoTime();
      cluster.script("bin/cluster", Duration.ofMinutes(20), "install", dir.toString());
      long t2 = System.nanoTime();
      cluster.upTook = Duration.ofNanos(t1 - t0);
      cluster.installTook = Duration.ofNanos(t2 - t1);
      Files.writeString(
          dir.resolve("startup.txt"),
          "bin/cluster up: "
              + cluster.upTook.toMillis()
              + " ms\nbin/cluster install: "
              + cluster.installTook.toMillis()
              + " ms\n");
      return cluster;
    } catch (IOException | RuntimeException | AssertionError e) {
      cluster.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : sneaky(e);
    }
  }

  private static RuntimeException sneaky(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    throw (Error) t;
  }

  Path repoRoot() {
    return repoRoot;
  }

  Path dir() {
    return dir;
  }

  Path kubeconfig(String user) {
    return dir.resolve(user + ".kubeconfig");
  }

  /** The node's address as a Java address (where the scripted model listens). */
  static InetAddress nodeAddress() {
    try {
      return InetAddress.getByName(NODE_ADDRESS);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** kubectl as the cluster admin. */
  Command.Result kubectl(String... args) {
    return kubectlAs("admin", null, args);
  }

  /** kubectl as the admin, reading {@code stdin}. */
  Command.Result kubectlIn(String stdin, String... args) {
    return kubectlAs("admin", stdin, args);
  }

  /** kubectl with one of bin/control-plane's users: admin, alice (release manager) or mallory. */
  Command.Result kubectlAs(String user, String stdin, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(kubectl.toString());
    argv.add("--kubeconfig");
    argv.add(kubeconfig(user).toString());
    argv.add("--request-timeout");
    argv.add("30s");
    argv.addAll(List.of(args));
    return new Command(argv, Duration.ofMinutes(3), Map.of(), stdin).run();
  }

  JsonNode json(String... args) {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.add("-o");
    argv.add("json");
    try {
      return JSON.readTree(kubectl(argv.toArray(String[]::new)).expectOk());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the operator reports an AgentIdentity Ready (its bundle published). */
  void awaitIdentityReady(String namespace, String name) {
    kubectl(
            "wait",
            "agentidentity/" + name,
            "-n",
            namespace,
            "--for=condition=Ready",
            "--timeout=120s")
        .expectOk();
  }

  /** {@code kubectl tollgate ...} (bin/kubectl-tollgate) with one of the users' kubeconfigs. */
  Command.Result tollgatePlugin(String user, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(repoRoot.resolve("bin/kubectl-tollgate").toString());
    argv.addAll(List.of(args));
    argv.add("--kubeconfig");
    argv.add(kubeconfig(user).toString());
    return new Command(argv, Duration.ofMinutes(2), Map.of(), null).run();
  }

  /** {@code ctr} on the node's containerd, in the Kubernetes namespace. */
  Command.Result ctr(String... args) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "ctr",
                "--address",
                dir.resolve("containerd/containerd.sock").toString(),
                "--namespace",
                "k8s.io"));
    argv.addAll(List.of(args));
    return new Command(argv, Duration.ofMinutes(1), Map.of(), null).run();
  }

  Duration upTook() {
    return upTook;
  }

  Duration installTook() {
    return installTook;
  }

  private String script(String name, Duration timeout, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(repoRoot.resolve(name).toString());
    argv.addAll(List.of(args));
    return Command.of(timeout, argv.toArray(String[]::new)).run().expectOk();
  }

  @Override
  public synchronized void close() {
    if (up) {
      up = false;
      Command.Result down =
          Command.of(
                  Duration.ofMinutes(5),
                  repoRoot.resolve("bin/cluster").toString(),
                  "down",
                  dir.toString())
              .run();
      if (!down.ok()) {
        System.err.println("bin/cluster down failed: " + down.describe());
      }
    }
  }
}
