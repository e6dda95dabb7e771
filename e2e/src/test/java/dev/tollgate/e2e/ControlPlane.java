package dev.tollgate.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * etcd and kube-apiserver as separate processes, started by {@code bin/control-plane up} and
 * stopped by {@code bin/control-plane down}, which stops exactly the PIDs {@code up} recorded. The
 * binaries are compiled once per machine by {@code bin/control-plane build} (minutes on a fresh
 * machine, nothing after).
 */
public final class ControlPlane implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ControlPlane.class.getName());
  // A cold compile of kube-apiserver on 2 cores takes several minutes; a warm one, seconds.
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(45);
  private static final Duration UP_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration DOWN_TIMEOUT = Duration.ofMinutes(1);

  /** The users whose client certificates {@code up} issues (see bin/control-plane). */
  public enum User {
    /** O=system:masters. */
    ADMIN("admin", "tollgate-e2e-admin"),
    /** O=platform-approvers and O=release-managers. */
    ALICE("alice", "alice"),
    /** O=developers: an approver of nothing. */
    MALLORY("mallory", "mallory");

    private final String file;
    private final String userName;

    User(String file, String userName) {
      this.file = file;
      this.userName = userName;
    }

    /** The name the API server authenticates this user as. */
    public String userName() {
      return userName;
    }
  }

  private final Path script;
  private final Path dir;
  private final Path log;
  private boolean running;

  private ControlPlane(Path repoRoot, Path dir) {
    this.script = repoRoot.resolve("bin/control-plane");
    this.dir = dir;
    this.log = dir.resolveSibling(dir.getFileName() + "-script.log");
  }

  /** Builds (if need be) and starts a control plane with its state in {@code dir}. */
  static ControlPlane start(Path repoRoot, Path dir) {
    ControlPlane controlPlane = new ControlPlane(repoRoot, dir);
    if (Files.exists(dir.resolve("kube-apiserver.pid")) || Files.exists(dir.resolve("etcd.pid"))) {
      // A run killed before its shutdown hook ran left its processes behind; `up` would refuse
      // to start over them. `down` stops only the PIDs recorded in this directory.
      LOG.warning("stopping the control plane a previous run left in " + dir);
      controlPlane.run(DOWN_TIMEOUT, "down", dir.toString());
    }
    long started = System.nanoTime();
    controlPlane.run(BUILD_TIMEOUT, "build");
    long built = System.nanoTime();
    controlPlane.running = true;
    try {
      controlPlane.run(UP_TIMEOUT, "up", dir.toString());
    } catch (RuntimeException e) {
      controlPlane.close();
      throw e;
    }
    LOG.info(
        String.format(
            "control plane: build check %.1fs, up %.1fs; state in %s",
            (built - started) / 1e9, (System.nanoTime() - built) / 1e9, dir));
    return controlPlane;
  }

  /**
   * Stops etcd and kube-apiserver by the PIDs {@code up} recorded, and waits for them. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (running) {
      running = false;
      run(DOWN_TIMEOUT, "down", dir.toString());
    }
  }

  public Path dir() {
    return dir;
  }

  public Path kubeconfig(User user) {
    return dir.resolve(user.file + ".kubeconfig");
  }

  /** A client authenticated by the user's certificate; the caller closes it. */
  public KubernetesClient client(User user) {
    return new KubernetesClientBuilder().withConfig(config(user)).build();
  }

  public Config config(User user) {
    try {
      return Config.fromKubeconfig(Files.readString(kubeconfig(user)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A client that authenticates with a bearer token only (a service account's, say); the caller
   * closes it.
   */
  public KubernetesClient clientWithToken(String token) {
    Config admin = config(User.ADMIN);
    // Built from an empty Config: Config's auto-configuration would pick up ~/.kube/config, and a
    // client certificate next to the token would authenticate the request as its owner instead.
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(admin.getMasterUrl())
            .withCaCertData(
                admin.getCaCertData() != null
                    ? admin.getCaCertData()
                    : Base64.getEncoder()
                        .encodeToString(
                            read(dir.resolve("ca.crt")).getBytes(StandardCharsets.US_ASCII)))
            .withOauthToken(token)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void run(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    try {
      Files.createDirectories(dir.getParent());
      Files.writeString(
          log,
          "$ " + String.join(" ", command) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      // Output to a file, not a pipe: nothing can block on a full pipe, and the log outlives a
      // failure.
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
        throw new IllegalStateException(
            "bin/control-plane " + args[0] + " did not finish within " + timeout + "\n" + tail());
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "bin/control-plane "
                + String.join(" ", args)
                + " failed with exit code "
                + process.exitValue()
                + "\n"
                + tail());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return "--- last lines of "
          + log
          + " ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
