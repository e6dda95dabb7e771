package dev.tollgate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.SidecarContract.Paths;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of the real hook client, {@code bin/tollgate-hook}, the way Claude Code runs it in an
 * injected pod: the command line and environment of the managed settings the webhook injected (the
 * installer's {@code TOLLGATE_MANAGED_SETTINGS}), run through {@code /bin/sh -c}, with the hook
 * input on stdin. Only the client's path and {@code TOLLGATE_URL} differ (this repository's script,
 * the test's sidecar).
 */
final class HookProcess implements AutoCloseable {

  private static final AtomicInteger RUNS = new AtomicInteger();

  /** How a finished run came out. */
  record Result(int exitCode, String stdout, String stderr) {

    JsonNode json() {
      try {
        return SidecarProcess.JSON.readTree(stdout);
      } catch (IOException e) {
        throw new AssertionError(
            "the hook printed no JSON: '" + stdout + "' (stderr: " + stderr + ")", e);
      }
    }

    /** hookSpecificOutput.permissionDecision of a PreToolUse answer. */
    String decision() {
      return json().path("hookSpecificOutput").path("permissionDecision").asText(null);
    }

    String reason() {
      return json().path("hookSpecificOutput").path("permissionDecisionReason").asText(null);
    }
  }

  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private HookProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts the hook for {@code event} (PreToolUse, PostToolUse...) with this input; returns at
   * once.
   */
  static HookProcess start(
      TollgateCluster cluster, Pod pod, SidecarProcess sidecar, Path dir, String input) {
    JsonNode settings = managedSettings(pod);
    String event = readEvent(input);
    String command =
        settings.path("hooks").path(event).path(0).path("hooks").path(0).path("command").asText();
    if (!command.startsWith(Paths.HOOK_COMMAND)) {
      throw new AssertionError(
          "the managed settings run '" + command + "' for " + event + ", not the hook client");
    }
    String hook = cluster.repoRoot().resolve("bin/tollgate-hook").toString();
    ProcessBuilder builder =
        new ProcessBuilder("/bin/sh", "-c", hook + command.substring(Paths.HOOK_COMMAND.length()));
    Map<String, String> env = builder.environment();
    String path = env.get("PATH");
    env.clear();
    env.put("PATH", path);
    for (Iterator<Map.Entry<String, JsonNode>> it = settings.path("env").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> var = it.next();
      env.put(var.getKey(), var.getValue().asText());
    }
    env.put("TOLLGATE_URL", sidecar.url());
    int run = RUNS.incrementAndGet();
    Path out = dir.resolve("hook-" + run + ".stdout");
    Path err = dir.resolve("hook-" + run + ".stderr");
    try {
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
      return new HookProcess(process, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the hook to its end (at most {@code timeout}). */
  static Result run(
      TollgateCluster cluster,
      Pod pod,
      SidecarProcess sidecar,
      Path dir,
      String input,
      Duration timeout) {
    try (HookProcess hook = start(cluster, pod, sidecar, dir, input)) {
      return hook.await(timeout);
    }
  }

  /** The settings the webhook injected for Claude Code, as the installer would write them. */
  static JsonNode managedSettings(Pod pod) {
    Container installer =
        pod.getSpec().getInitContainers().stream()
            .filter(c -> c.getName().equals("tollgate-install"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no tollgate-install init container"));
    String json =
        installer.getEnv().stream()
            .filter(e -> e.getName().equals("TOLLGATE_MANAGED_SETTINGS"))
            .map(EnvVar::getValue)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no TOLLGATE_MANAGED_SETTINGS"));
    try {
      return SidecarProcess.JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("managed settings are not JSON: " + json, e);
    }
  }

  private static String readEvent(String input) {
    try {
      return ((ObjectNode) SidecarProcess.JSON.readTree(input)).path("hook_event_name").asText();
    } catch (IOException e) {
      throw new IllegalArgumentException(input, e);
    }
  }

  boolean running() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  Result await(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "the hook (pid "
                + process.pid()
                + ") did not finish within "
                + timeout
                + "; stderr so far: "
                + SidecarProcess.read(stderr));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return new Result(
        process.exitValue(), SidecarProcess.read(stdout), SidecarProcess.read(stderr));
  }

  /** Stops the hook by its PID if it still runs (a test that failed while it was held). */
  @Override
  public void close() {
    if (process.isAlive()) {
      // sh -c may have exec'd the script or forked it: stop its children too, by PID.
      List<ProcessHandle> children = process.descendants().toList();
      SidecarProcess.stop(process);
      children.forEach(ProcessHandle::destroy);
    }
  }
}
