package dev.tollgate.agenttests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.agenttests.ClaudeCode;
import dev.tollgate.agenttests.HookSettings;
import dev.tollgate.agenttests.RepoCoderBundle;
import dev.tollgate.agenttests.SidecarProcess;
import dev.tollgate.agenttests.model.ScriptedModel;
import dev.tollgate.agenttests.model.ToolCall;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What Tollgate adds to each tool call inside a real Claude Code session (run by {@code
 * agent-tests/bench/session-overhead.sh}; not a test: the figures depend on the machine).
 *
 * <p>One session of N calls (allowed Read, Bash and Write, denied Bash and Read) under the example
 * policies, with the hook command wrapped by a timer that records the wall time of each run of the
 * real {@code bin/tollgate-hook} (process start to exit, socket stdin as Claude Code gives it), per
 * event. The sidecar's own decision latency comes from its audit. The same session without any hook
 * gives the end-to-end difference per call, Claude Code's own hook machinery included (measured
 * with the injected wiring as is, without the timer).
 */
public final class SessionOverhead {

  private SessionOverhead() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    Path root = Files.createTempDirectory("tollgate-session-overhead-");
    Path workspace = Files.createDirectories(root.resolve("workspace"));
    Files.writeString(workspace.resolve(".env"), "TOKEN=x\n");
    Files.writeString(workspace.resolve("README.md"), "# project\n");
    Path bundle = RepoCoderBundle.write(workspace, root.resolve("bundle.json"));

    try (SidecarProcess sidecar = SidecarProcess.start(bundle, root, "/readyz")) {
      Path timings = root.resolve("hook-timings.txt");
      Path settings = timedSettings(root, sidecar.url(), timings);
      // A warm-up session: the first run of anything (page cache, the sidecar's JIT) is not the
      // steady state.
      session(workspace, root.resolve("home-warmup"), settings, script(workspace, 20, "warm"));
      Files.deleteIfExists(timings);

      ClaudeCode.Run timed =
          session(
              workspace, root.resolve("home-timed"), settings, script(workspace, calls, "timed"));
      // End to end without the timer in the way: the injected wiring as is, and no hook at all.
      Path wired = HookSettings.write(root.resolve("wired.json"), sidecar.url());
      ClaudeCode.Run hooked =
          session(
              workspace, root.resolve("home-hooked"), wired, script(workspace, calls, "hooked"));
      // The same wiring running /bin/true: what Claude Code's hook machinery costs by itself.
      Path noop =
          HookSettings.write(
              root.resolve("noop.json"), sidecar.url(), Path.of("/bin/true"), Map.of());
      ClaudeCode.Run noopRun =
          session(workspace, root.resolve("home-noop"), noop, script(workspace, calls, "noop"));
      Path noHooks = Files.writeString(root.resolve("no-hooks.json"), "{}");
      ClaudeCode.Run bare =
          session(workspace, root.resolve("home-bare"), noHooks, script(workspace, calls, "bare"));

      List<Double> pre = new ArrayList<>();
      List<Double> post = new ArrayList<>();
      // Hooks run one at a time in a headless session, so a call's Post follows its Pre.
      List<Double> perCall = new ArrayList<>();
      for (String line : Files.readAllLines(timings)) {
        String[] fields = line.split(" ");
        double millis = (Double.parseDouble(fields[2]) - Double.parseDouble(fields[1])) * 1000;
        if (fields[0].equals("pre")) {
          pre.add(millis);
          perCall.add(millis);
        } else {
          post.add(millis);
          perCall.set(perCall.size() - 1, perCall.get(perCall.size() - 1) + millis);
        }
      }
      List<Double> decisions = new ArrayList<>();
      for (JsonNode event : sidecar.audit()) {
        boolean timedSession = event.path("correlationId").asText().startsWith("toolu_timed_");
        if (timedSession
            && event.has("latencyMicros")
            && event.path("type").asText().matches("tool_call\\.(allowed|denied)")) {
          decisions.add(event.path("latencyMicros").asDouble() / 1000);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "Claude Code %s, %d tool calls in one session (%d denied)%n",
          ClaudeCode.version(),
          calls,
          timed.permissionDenials().size());
      report("hook client wall time, PreToolUse", pre);
      report("hook client wall time, PostToolUse", post);
      report("hook client wall time per call (Pre+Post)", perCall);
      report("sidecar decision (audit latencyMicros)", decisions);
      System.out.printf(
          Locale.ROOT,
          "session wall time: %d ms with Tollgate's wiring, %d ms with /bin/true as the hook, %d ms without hooks%n",
          hooked.elapsed().toMillis(),
          noopRun.elapsed().toMillis(),
          bare.elapsed().toMillis());
      System.out.printf(
          Locale.ROOT,
          "per call, end to end: Tollgate %.1f ms over no hooks, %.1f ms over /bin/true hooks%n",
          (hooked.elapsed().toMillis() - bare.elapsed().toMillis()) / (double) calls,
          (hooked.elapsed().toMillis() - noopRun.elapsed().toMillis()) / (double) calls);
      System.out.printf(
          Locale.ROOT,
          "load average at the end: %.2f on %d CPUs; raw timings: %s%n",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors(),
          root);
    }
  }

  private static ClaudeCode.Run session(
      Path workspace, Path home, Path settings, List<ToolCall> script) throws Exception {
    try (ScriptedModel model = new ScriptedModel(script)) {
      ClaudeCode.Run run = ClaudeCode.run(workspace, home, settings, model.baseUrl(), Map.of());
      if (run.exitCode() != 0 || model.servedCalls().size() != script.size()) {
        throw new IllegalStateException("session did not play its script: " + run.describe());
      }
      return run;
    }
  }

  /**
   * Every fifth call is denied (a force push, a .env read); the rest are allowed Read, Bash and
   * Write calls.
   */
  private static List<ToolCall> script(Path workspace, int calls, String prefix) {
    List<ToolCall> script = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      String id = "toolu_" + prefix + "_" + i;
      script.add(
          switch (i % 10) {
            case 4 ->
                ToolCall.of(
                    id,
                    "Bash",
                    Map.of("command", "git push --force origin main", "description", "push"));
            case 9 ->
                ToolCall.of(id, "Read", Map.of("file_path", workspace.resolve(".env").toString()));
            case 0, 3, 6 ->
                ToolCall.of(
                    id, "Read", Map.of("file_path", workspace.resolve("README.md").toString()));
            case 1, 5, 7 ->
                ToolCall.of(
                    id,
                    "Bash",
                    Map.of(
                        "command", "echo " + i + " > out-" + i + ".txt", "description", "write"));
            default ->
                ToolCall.of(
                    id,
                    "Write",
                    Map.of(
                        "file_path",
                        workspace.resolve("file-" + prefix + "-" + i + ".txt").toString(),
                        "content",
                        "line " + i + "\n"));
          });
    }
    return script;
  }

  /**
   * The injected wiring with the client behind a timer: one wrapper for PreToolUse and one for the
   * Post events, so each line says which event it timed. The timer's own bash start is outside the
   * measured span; the client's process start is inside it.
   */
  private static Path timedSettings(Path root, String sidecarUrl, Path timings) throws IOException {
    Path pre = timer(root.resolve("timed-pre"), "pre", timings);
    Path post = timer(root.resolve("timed-post"), "post", timings);
    Path settings = HookSettings.write(root.resolve("settings.json"), sidecarUrl, pre, Map.of());
    String json = Files.readString(settings);
    // Only the Post events' command is bare (the PreToolUse one carries the fail-closed guard).
    json = json.replace("\"command\" : \"" + pre + "\"", "\"command\" : \"" + post + "\"");
    return Files.writeString(settings, json);
  }

  private static Path timer(Path dir, String event, Path timings) throws IOException {
    Files.createDirectories(dir);
    Path script = dir.resolve("tollgate-hook");
    Files.writeString(
        script,
        """
        #!/bin/bash
        start=$EPOCHREALTIME
        %s
        rc=$?
        end=$EPOCHREALTIME
        printf '%s %%s %%s %%s\\n' "$start" "$end" "$rc" >> %s
        exit $rc
        """
            .formatted(HookSettings.HOOK_CLIENT, event, timings));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  static void report(String what, List<Double> millis) {
    if (millis.isEmpty()) {
      System.out.println(what + ": no samples");
      return;
    }
    List<Double> sorted = millis.stream().sorted(Comparator.naturalOrder()).toList();
    System.out.printf(
        Locale.ROOT,
        "%-42s n=%3d  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms%n",
        what,
        sorted.size(),
        percentile(sorted, 50),
        percentile(sorted, 99),
        sorted.get(sorted.size() - 1));
  }

  /** Nearest rank. */
  private static double percentile(List<Double> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
