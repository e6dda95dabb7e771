package dev.tollgate.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bin/kubectl-tollgate ARGS --kubeconfig FILE -n agents} as a process, the way kubectl runs
 * the plugin: one that finishes, or one that runs until stopped ({@code approvals --watch}).
 */
final class KubectlTollgate {

  /** A finished run. */
  record Result(int exitCode, String stdout, String stderr) {}

  /** A run still going; {@link #close()} stops it (SIGTERM, then SIGKILL). */
  record Running(Process process, Path stdout, Path stderr) implements AutoCloseable {

    String printed() {
      return SidecarProcess.read(stdout);
    }

    String errors() {
      return SidecarProcess.read(stderr);
    }

    @Override
    public void close() {
      SidecarProcess.stop(process);
    }
  }

  private static final AtomicInteger RUNS = new AtomicInteger();

  private final TollgateCluster cluster;
  private final Path dir;

  KubectlTollgate(TollgateCluster cluster, Path dir) {
    this.cluster = cluster;
    this.dir = dir;
  }

  Result run(Path kubeconfig, String... args) {
    try (Running running = start(kubeconfig, args)) {
      if (!running.process().waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "kubectl-tollgate " + String.join(" ", args) + " did not finish in 60s");
      }
      return new Result(running.process().exitValue(), running.printed(), running.errors());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Running start(Path kubeconfig, String... args) {
    Path jar = cluster.repoRoot().resolve("cli/target/tollgate.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build the cli module first (the e2e module depends on it)");
    }
    List<String> command =
        new ArrayList<>(List.of(cluster.repoRoot().resolve("bin/kubectl-tollgate").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--kubeconfig", kubeconfig.toString(), "-n", TollgateCluster.AGENTS));
    int run = RUNS.incrementAndGet();
    Path out = dir.resolve("kubectl-tollgate-" + run + ".stdout");
    Path err = dir.resolve("kubectl-tollgate-" + run + ".stderr");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().remove("KUBECONFIG");
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      return new Running(process, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
