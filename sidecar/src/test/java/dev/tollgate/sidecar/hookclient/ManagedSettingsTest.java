package dev.tollgate.sidecar.hookclient;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sample Claude Code managed settings and the hook client's deadlines fit together: Claude Code
 * lets the call run when it times a hook out, so its hook timeout must exceed the client's own
 * deadline, which must exceed the identity's approval wait (default 300 s, docs/design.md §2).
 */
class ManagedSettingsTest {

  private static final int DEFAULT_APPROVAL_TIMEOUT_SECONDS = 300;
  private static final String COMMAND = "/opt/tollgate/bin/tollgate-hook";

  private static JsonNode settings;
  private static int scriptDeadline;
  private static int scriptConnectTimeout;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in =
        ManagedSettingsTest.class.getResourceAsStream("/claude-code/managed-settings.json")) {
      assertThat(in).as("claude-code/managed-settings.json on the classpath").isNotNull();
      settings = new ObjectMapper().readTree(in);
    }
    String script = Files.readString(HookScript.SCRIPT);
    scriptDeadline = defaultOf(script, "TOLLGATE_HOOK_TIMEOUT_SECONDS");
    scriptConnectTimeout = defaultOf(script, "TOLLGATE_HOOK_CONNECT_TIMEOUT_SECONDS");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PreToolUse", "PostToolUse", "PostToolUseFailure"})
  void everyToolCallEventRunsTheHookClientForEveryTool(String event) {
    JsonNode groups = settings.path("hooks").path(event);
    assertThat(groups.isArray()).as("hooks.%s is a list of matcher groups", event).isTrue();
    assertThat(groups).hasSize(1);
    JsonNode group = groups.get(0);
    assertThat(group.path("matcher").asText()).as("matches every tool").isEqualTo("*");
    assertThat(group.path("hooks")).hasSize(1);
    JsonNode hook = group.path("hooks").get(0);
    assertThat(hook.path("type").asText()).isEqualTo("command");
    // PreToolUse maps every status but 0 and 2 (a missing client: 127) to a blocking 2.
    assertThat(hook.path("command").asText())
        .isEqualTo(event.equals("PreToolUse") ? COMMAND + " || exit 2" : COMMAND);
    assertThat(hook.path("timeout").isNumber()).as("timeout is a number of seconds").isTrue();
  }

  @Test
  void theHookTimeoutExceedsTheClientDeadlineWhichExceedsTheApprovalWait() {
    List<Integer> timeouts = new ArrayList<>();
    settings
        .path("hooks")
        .forEach(
            groups ->
                groups.forEach(
                    group ->
                        group
                            .path("hooks")
                            .forEach(hook -> timeouts.add(hook.path("timeout").asInt()))));
    assertThat(timeouts).hasSize(3);

    assertThat(scriptDeadline).isGreaterThan(DEFAULT_APPROVAL_TIMEOUT_SECONDS);
    assertThat(scriptConnectTimeout).isLessThan(scriptDeadline);
    assertThat(timeouts).allSatisfy(timeout -> assertThat(timeout).isGreaterThan(scriptDeadline));
  }

  @Test
  void onlyManagedHooksRun() {
    assertThat(settings.path("allowManagedHooksOnly").isBoolean()).isTrue();
    assertThat(settings.path("allowManagedHooksOnly").asBoolean()).isTrue();
    assertThat(settings.has("disableAllHooks")).isFalse();
  }

  /** Pinned here so a user or project settings file cannot point the client elsewhere. */
  @Test
  void theClientSettingsArePinnedToTheScriptDefaults() {
    JsonNode env = settings.path("env");
    assertThat(env.path("TOLLGATE_URL").asText()).isEqualTo("http://127.0.0.1:9440");
    assertThat(env.path("TOLLGATE_HOOK_TIMEOUT_SECONDS").asText())
        .isEqualTo(String.valueOf(scriptDeadline));
    assertThat(env.path("TOLLGATE_HOOK_CONNECT_TIMEOUT_SECONDS").asText())
        .isEqualTo(String.valueOf(scriptConnectTimeout));
  }

  /**
   * Claude Code runs a hook command through a shell, and a non-interactive bash first runs the file
   * named by BASH_ENV: a value set by a user or project settings file could answer for the hook.
   * Pinned empty here, which bash ignores.
   */
  @Test
  void bashEnvIsPinnedEmpty() {
    assertThat(settings.path("env").path("BASH_ENV").isTextual()).isTrue();
    assertThat(settings.path("env").path("BASH_ENV").asText()).isEmpty();
  }

  /** The value in {@code name=${VARIABLE:-N}} in the script. */
  private static int defaultOf(String script, String variable) {
    Matcher matcher = Pattern.compile("\\$\\{" + variable + ":-([0-9]+)}").matcher(script);
    assertThat(matcher.find()).as("the script's default for %s", variable).isTrue();
    int value = Integer.parseInt(matcher.group(1));
    assertThat(matcher.find()).as("one default for %s", variable).isFalse();
    return value;
  }
}
