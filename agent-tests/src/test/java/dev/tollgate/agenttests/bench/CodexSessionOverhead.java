package dev.tollgate.agenttests.bench;

import dev.tollgate.agenttests.Codex;
import dev.tollgate.agenttests.HookSettings;
import dev.tollgate.agenttests.RepoCoderBundle;
import dev.tollgate.agenttests.SidecarProcess;
import dev.tollgate.agenttests.model.ResponsesModel;
import dev.tollgate.agenttests.model.ToolCall;
import dev.tollgate.webhook.injection.CodexManagedConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Tollgate adds to each tool call in a real Codex session (not a test: the figures depend on
 * the machine, so nothing is asserted). Run it by name: {@code mvn -pl agent-tests -am verify
 * -Dit.test=CodexSessionOverhead -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>Sessions of N allowed shell calls under the example policies, with the webhook's wiring (the
 * PreToolUse and PostToolUse hooks running {@code bin/tollgate-hook codex} against the sidecar),
 * and the same sessions with an empty {@code /etc/codex}; the fastest of three of each, so a busy
 * machine's stalls count less. The difference per call is what a user waits for.
 */
class CodexSessionOverhead {

  private static final int CALLS = Integer.getInteger("tollgate.benchCalls", 30);
  private static final int ROUNDS = 3;

  @TempDir Path root;

  @Test
  void measure() throws Exception {
    for (Path codex : List.of(Codex.PINNED, Codex.LATEST)) {
      Path workspace = Files.createDirectories(root.resolve("workspace"));
      Path bundle = RepoCoderBundle.write(workspace, root.resolve("bundle.json"));
      Duration bare = Duration.ofDays(1);
      Duration hooked = Duration.ofDays(1);
      try (SidecarProcess sidecar = SidecarProcess.start(bundle, root, "/readyz")) {
        String config =
            CodexManagedConfig.configToml(
                300, List.of(), HookSettings.HOOK_CLIENT.toString(), sidecar.url());
        String requirements = CodexManagedConfig.requirementsToml(List.of(), sidecar.url());
        for (int round = 0; round < ROUNDS; round++) {
          bare = min(bare, session(codex, workspace, "", "", "bare-" + round));
          hooked = min(hooked, session(codex, workspace, config, requirements, "hooked-" + round));
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%s: %d calls, fastest of %d: without hooks %d ms, with Tollgate %d ms,"
              + " %.1f ms more per call%n",
          Codex.version(codex),
          CALLS,
          ROUNDS,
          bare.toMillis(),
          hooked.toMillis(),
          (hooked.toMillis() - bare.toMillis()) / (double) CALLS);
    }
  }

  private Duration session(
      Path codex, Path workspace, String config, String requirements, String name)
      throws Exception {
    List<ToolCall> script = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      script.add(ToolCall.of("call_" + name + "_" + i, "exec_command", Map.of("cmd", "true")));
    }
    try (ResponsesModel model = new ResponsesModel(script)) {
      Codex.Run run =
          Codex.run(
              codex,
              workspace,
              root.resolve("home-" + name),
              config,
              requirements,
              model.baseUrl(),
              List.of("--dangerously-bypass-approvals-and-sandbox"));
      if (run.exitCode() != 0 || model.toolResults().size() != CALLS) {
        throw new AssertionError(run.describe());
      }
      return run.elapsed();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
