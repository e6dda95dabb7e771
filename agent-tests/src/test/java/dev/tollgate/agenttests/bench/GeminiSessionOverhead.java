package dev.tollgate.agenttests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.agenttests.GeminiCli;
import dev.tollgate.agenttests.HookSettings;
import dev.tollgate.agenttests.RepoCoderBundle;
import dev.tollgate.agenttests.SidecarProcess;
import dev.tollgate.agenttests.model.ScriptedGeminiModel;
import dev.tollgate.agenttests.model.ToolCall;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What Tollgate adds to each tool call inside a real Gemini CLI session (run by {@code
 * agent-tests/bench/session-overhead.sh gemini-cli}; not a test: the figures depend on the
 * machine). One session of N calls (allowed read_file, run_shell_command and write_file, every
 * fifth a denied force push) under the example policies with the injected system settings, and the
 * same session with those settings minus the hook; the sidecar's own decision latency from its
 * audit.
 */
public final class GeminiSessionOverhead {

  private GeminiSessionOverhead() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    Path root = Files.createTempDirectory("tollgate-gemini-overhead-");
    Path workspace = Files.createDirectories(root.resolve("workspace"));
    Files.writeString(workspace.resolve("README.md"), "# project\n");
    Path bundle = RepoCoderBundle.write(workspace, root.resolve("bundle.json"));
    try (SidecarProcess sidecar = SidecarProcess.start(bundle, root, "/readyz")) {
      String hook = HookSettings.HOOK_CLIENT.toString();
      Path wired = GeminiCli.systemSettings(hook, sidecar.url(), s -> {});
      Path bare = GeminiCli.systemSettings(hook, sidecar.url(), s -> s.remove("hooks"));
      session(workspace, root.resolve("home-warmup"), wired, script(workspace, 10, "warm"));
      int before = sidecar.audit().size();
      long hooked =
          session(workspace, root.resolve("home-hooked"), wired, script(workspace, calls, "h"));
      List<Double> decisions = new ArrayList<>();
      List<JsonNode> audit = sidecar.audit();
      for (JsonNode event : audit.subList(before, audit.size())) {
        if (event.has("latencyMicros")
            && event.path("type").asText().matches("tool_call\\.(allowed|denied)")) {
          decisions.add(event.path("latencyMicros").asDouble() / 1000);
        }
      }
      long none =
          session(workspace, root.resolve("home-bare"), bare, script(workspace, calls, "b"));
      System.out.printf(
          Locale.ROOT,
          "Gemini CLI %s, %d tool calls in one session (%d decided)%n",
          GeminiCli.version("gemini-cli"),
          calls,
          decisions.size());
      SessionOverhead.report("sidecar decision (audit latencyMicros)", decisions);
      System.out.printf(
          Locale.ROOT,
          "session wall time: %d ms with Tollgate's hook, %d ms without hooks; per call %.1f ms%n",
          hooked,
          none,
          (hooked - none) / (double) calls);
      System.out.printf(
          Locale.ROOT,
          "load average at the end: %.2f on %d CPUs%n",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());
    }
  }

  private static long session(Path workspace, Path home, Path settings, List<ToolCall> script)
      throws Exception {
    try (ScriptedGeminiModel model = new ScriptedGeminiModel(script)) {
      GeminiCli.Run run =
          GeminiCli.run("gemini-cli", workspace, home, settings, model.baseUrl(), Map.of());
      if (run.exitCode() != 0 || model.toolResults().size() != script.size()) {
        throw new IllegalStateException("session did not play its script: " + run.describe());
      }
      return run.elapsed().toMillis();
    }
  }

  private static List<ToolCall> script(Path workspace, int calls, String prefix) {
    List<ToolCall> script = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      String id = prefix + "_" + i;
      Path file = workspace.resolve(prefix + "-" + i + ".txt");
      script.add(
          switch (i % 5) {
            case 0 -> ToolCall.of(id, "read_file", Map.of("file_path", workspace + "/README.md"));
            case 1 ->
                ToolCall.of(
                    id, "run_shell_command", Map.of("command", "echo " + i, "description", "echo"));
            case 2 ->
                ToolCall.of(
                    id, "write_file", Map.of("file_path", file.toString(), "content", "x\n"));
            case 3 ->
                ToolCall.of(id, "run_shell_command", Map.of("command", "ls", "description", "ls"));
            default ->
                ToolCall.of(
                    id,
                    "run_shell_command",
                    Map.of("command", "git push --force origin main", "description", "push"));
          });
    }
    return script;
  }
}
