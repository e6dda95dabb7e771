package dev.tollgate.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agenttests.model.ScriptedModel;
import dev.tollgate.agenttests.model.ToolCall;
import dev.tollgate.agenttests.model.ToolResult;
import dev.tollgate.webhook.injection.ManagedSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the real Claude Code does when the decision point is not there to decide: each drill breaks
 * one thing under a live session and checks that calls fail closed (no side effect, a reason the
 * model can read, a denial Claude Code reports), or, for the last good bundle, that decisions go on
 * unchanged. This class drills the pinned Claude Code; {@link ClaudeCodeLatestFaultDrillIT} the
 * newest.
 */
class FaultDrillIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path root;
  private Path workspace;

  /** The Claude Code binary under test. */
  Path binary() {
    return ClaudeCode.BINARY;
  }

  @BeforeEach
  void createWorkspace() throws Exception {
    workspace = Files.createDirectories(root.resolve("workspace"));
    Files.writeString(workspace.resolve("README.md"), "# project\n");
  }

  @Test
  void aSidecarStoppedMidSessionDeniesEveryLaterCall() throws Exception {
    Path bundle = RepoCoderBundle.write(workspace, root.resolve("bundle.json"));
    try (SidecarProcess sidecar = SidecarProcess.start(bundle, root, "/readyz")) {
      Run run =
          play(
              HookSettings.write(root.resolve("settings.json"), sidecar.url()),
              marker("toolu_before", "before"),
              marker("toolu_after", "after").before(sidecar::stop));

      assertThat(workspace.resolve("before.marker")).exists();
      assertDeniedWithoutTrace(
          run,
          "toolu_after",
          "after.marker",
          "cannot connect to the decision point at " + sidecar.url());
      AuditTrail audit = new AuditTrail(sidecar.audit());
      assertThat(audit.types("toolu_before"))
          .containsExactly("tool_call.attempted", "tool_call.allowed", "tool_call.executed");
      assertThat(audit.types("toolu_after")).as("the stopped sidecar saw nothing of it").isEmpty();
    }
  }

  @Test
  void aSidecarSlowerThanTheHookDeadlineDeniesAtTheDeadline() throws Exception {
    try (SilentServer silent = new SilentServer()) {
      Path settings =
          HookSettings.write(
              root.resolve("settings.json"),
              silent.url(),
              HookSettings.HOOK_CLIENT,
              Map.of("TOLLGATE_HOOK_TIMEOUT_SECONDS", "2"));
      Run run = play(settings, marker("toolu_slow", "slow"));

      assertDeniedWithoutTrace(
          run,
          "toolu_slow",
          "slow.marker",
          "no answer from the decision point at " + silent.url() + " within 2s");
      assertThat(silent.connections()).as("the hook client did reach the server").isPositive();
      assertThat(run.session().elapsed())
          .as("the deadline, not Claude Code's 360 s hook timeout, ended the wait")
          .isLessThan(Duration.ofSeconds(20));
    }
  }

  @Test
  void anInvalidBundleSwappedInKeepsTheLastGoodOneInForce() throws Exception {
    Path bundle = RepoCoderBundle.write(workspace, root.resolve("bundle.json"));
    try (SidecarProcess sidecar =
        SidecarProcess.start(bundle, root, "/readyz", "--reload-interval-ms", "100")) {
      Runnable breakBundle =
          () -> {
            try {
              Files.writeString(bundle, "{\"schema\": \"not a bundle\"");
              sidecar.awaitLog("(keeping revision ", Duration.ofSeconds(10));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };
      Run run =
          play(
              HookSettings.write(root.resolve("settings.json"), sidecar.url()),
              marker("toolu_allowed", "allowed").before(breakBundle),
              ToolCall.of(
                  "toolu_outside",
                  "Write",
                  Map.of("file_path", root.resolve("outside.txt").toString(), "content", "x\n")));

      assertThat(workspace.resolve("allowed.marker"))
          .as("still allowed by the last good bundle")
          .exists();
      assertDeniedWithoutTrace(
          run, "toolu_outside", null, "files outside " + workspace + " are off limits");
      assertThat(root.resolve("outside.txt")).doesNotExist();
      AuditTrail audit = new AuditTrail(sidecar.audit());
      String revision =
          audit.event("toolu_allowed", "tool_call.allowed").path("bundleRevision").asText();
      assertThat(audit.event("toolu_outside", "tool_call.denied").path("bundleRevision").asText())
          .isEqualTo(revision);
      sidecar.awaitStatus("/readyz", 200);
    }
  }

  @Test
  void withNoValidBundleAtStartEveryCallIsDenied() throws Exception {
    Path bundle = Files.writeString(root.resolve("bundle.json"), "not a bundle");
    try (SidecarProcess sidecar = SidecarProcess.start(bundle, root, "/healthz")) {
      Run run =
          play(
              HookSettings.write(root.resolve("settings.json"), sidecar.url()),
              ToolCall.of(
                  "toolu_read",
                  "Read",
                  Map.of("file_path", workspace.resolve("README.md").toString())),
              marker("toolu_bash", "bash"));

      assertDeniedWithoutTrace(run, "toolu_read", null, "NoBundle");
      assertThat(run.model().resultFor("toolu_read").content()).doesNotContain("# project");
      assertDeniedWithoutTrace(run, "toolu_bash", "bash.marker", "NoBundle");
      AuditTrail audit = new AuditTrail(sidecar.audit());
      for (String id : List.of("toolu_read", "toolu_bash")) {
        assertThat(audit.types(id)).containsExactly("tool_call.attempted", "tool_call.denied");
        assertThat(audit.event(id, "tool_call.denied").path("reasons").toString())
            .contains("NoBundle");
      }
    }
  }

  /** The injected wiring maps the shell's 127 for a missing client to a blocking exit 2. */
  @Test
  void aMissingHookClientBlocksEveryCall() throws Exception {
    try (SidecarProcess sidecar =
        SidecarProcess.start(
            RepoCoderBundle.write(workspace, root.resolve("bundle.json")), root, "/readyz")) {
      Path settings =
          HookSettings.write(
              root.resolve("settings.json"),
              sidecar.url(),
              Path.of("/opt/missing/tollgate-hook"),
              Map.of());
      Run run = play(settings, marker("toolu_missing", "missing"));

      assertDeniedWithoutTrace(
          run, "toolu_missing", "missing.marker", "/opt/missing/tollgate-hook");
    }
  }

  /**
   * Why the wiring needs that guard: Claude Code treats a hook's exit status other than 0 and 2 as
   * a non-blocking error and runs the call. This pins that behaviour of the pinned Claude Code; if
   * a later version fails closed by itself, this test says so.
   */
  @Test
  void withoutTheGuardAMissingHookClientLetsTheCallRun() throws Exception {
    ObjectNode settings =
        (ObjectNode)
            JSON.readTree(
                ManagedSettings.json(
                    300, List.of(), "/opt/missing/tollgate-hook", "http://127.0.0.1:9"));
    for (JsonNode groups : settings.path("hooks")) {
      ObjectNode hook = (ObjectNode) groups.get(0).path("hooks").get(0);
      hook.put("command", "/opt/missing/tollgate-hook");
    }
    Path file = Files.writeString(root.resolve("settings.json"), settings.toString());
    Run run = play(file, marker("toolu_unguarded", "unguarded"));

    assertThat(workspace.resolve("unguarded.marker"))
        .as("the call ran with no decision at all")
        .exists();
    assertThat(run.session().permissionDenials()).isEmpty();
  }

  private record Run(ClaudeCode.Run session, ScriptedModel model) {}

  private Run play(Path settings, ToolCall... calls) throws Exception {
    try (ScriptedModel model = new ScriptedModel(List.of(calls))) {
      ClaudeCode.Run session =
          ClaudeCode.run(
              binary(), workspace, root.resolve("home"), settings, model.baseUrl(), Map.of());
      assertThat(session.exitCode()).as(session.describe()).isZero();
      assertThat(model.servedCalls()).as(session.describe()).hasSize(calls.length);
      return new Run(session, model);
    }
  }

  /** A Bash call whose only effect is a marker file in the workspace. */
  private static ToolCall marker(String id, String name) {
    return ToolCall.of(
        id,
        "Bash",
        Map.of("command", "echo ran > " + name + ".marker", "description", "leave a marker"));
  }

  private void assertDeniedWithoutTrace(Run run, String id, String marker, String reason) {
    if (marker != null) {
      assertThat(workspace.resolve(marker)).as("%s must not have run", id).doesNotExist();
    }
    ToolResult result = run.model().resultFor(id);
    assertThat(result.isError()).as("%s", result).isTrue();
    assertThat(result.content()).contains(reason);
    assertThat(run.session().permissionDenials()).as(run.session().describe()).contains(id);
  }
}
