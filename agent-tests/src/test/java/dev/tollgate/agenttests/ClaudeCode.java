package dev.tollgate.agenttests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The pinned Claude Code CLI ({@code agent-tests/claude-code/package-lock.json}, installed by the
 * build's {@code npm ci}; or, given {@link #LATEST}, the newest one from {@code
 * agent-tests/claude-code-latest/}), run headless the way a platform would run it in an agent pod:
 * {@code -p} with JSON output, a settings file with the hook wiring, a throwaway home, the model
 * behind {@code ANTHROPIC_BASE_URL}, and nothing else from the build machine's environment.
 */
public final class ClaudeCode {

  public static final Path BINARY =
      Path.of(
              System.getProperty(
                  "tollgate.claudeCode",
                  "target/claude-code/node_modules/@anthropic-ai/claude-code-linux-x64/claude"))
          .toAbsolutePath();

  /**
   * The newest Claude Code the registry served when {@code
   * agent-tests/claude-code-latest/package-lock.json} was last updated (on purpose): for drift.
   */
  public static final Path LATEST =
      Path.of(
              System.getProperty(
                  "tollgate.claudeCodeLatest",
                  "target/claude-code-latest/node_modules/@anthropic-ai/claude-code-linux-x64/claude"))
          .toAbsolutePath();

  /** Claude Code's own permission rules let all of these run: only Tollgate can stop them. */
  static final List<String> ALLOWED_TOOLS = List.of("Read", "Write", "Edit", "Bash");

  private static final Duration SESSION_LIMIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClaudeCode() {}

  /**
   * One finished headless session. {@code messages} holds every message of a {@code stream-json}
   * session ({@code result} is its last), or only the result of a {@code json} one.
   */
  public record Run(
      int exitCode,
      JsonNode result,
      List<JsonNode> messages,
      String stdout,
      String stderr,
      Duration elapsed) {

    /** The session's start as Claude Code reports it (stream-json only): its MCP servers, mode. */
    public JsonNode init() {
      return messages.stream()
          .filter(m -> m.path("subtype").asText().equals("init"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no init message (stream-json?): " + describe()));
    }

    /** The tool_use_ids of the calls Claude Code reports as denied (hooks included). */
    public List<String> permissionDenials() {
      List<String> ids = new ArrayList<>();
      result
          .path("permission_denials")
          .forEach(denial -> ids.add(denial.path("tool_use_id").asText()));
      return ids;
    }

    public String describe() {
      return "exit "
          + exitCode
          + " after "
          + elapsed.toMillis()
          + " ms\nstdout: "
          + stdout
          + "\nstderr: "
          + stderr;
    }
  }

  /** The installed version of the pinned binary, from the npm package beside it. */
  public static String version() throws IOException {
    return version(BINARY);
  }

  /** The installed version of {@code binary}, from the npm package beside it. */
  public static String version(Path binary) throws IOException {
    return JSON.readTree(binary.resolveSibling("package.json").toFile()).path("version").asText();
  }

  /**
   * Runs one headless session in {@code workspace} and waits for it; a session that outlives the
   * limit is killed (with every process it started) and fails the test.
   */
  public static Run run(
      Path workspace, Path home, Path settings, String modelUrl, Map<String, String> extraEnv)
      throws IOException, InterruptedException {
    return run(BINARY, workspace, home, settings, modelUrl, extraEnv);
  }

  /** The same with the given Claude Code binary (e.g. {@link #LATEST}). */
  public static Run run(
      Path binary,
      Path workspace,
      Path home,
      Path settings,
      String modelUrl,
      Map<String, String> extraEnv)
      throws IOException, InterruptedException {
    return run(
        binary, List.of(), workspace, home, settings, modelUrl, extraEnv, List.of(), List.of());
  }

  /**
   * The same with the wiring where a pod has it: Claude Code's managed directory, {@code
   * /etc/claude-code} (in a mount namespace of the session's own), instead of {@code --settings}.
   */
  public static Run run(
      Path workspace,
      Path home,
      ManagedDirectory managed,
      String modelUrl,
      Map<String, String> extraEnv,
      List<String> extraAllowedTools,
      List<String> extraArgs)
      throws IOException, InterruptedException {
    return run(
        BINARY,
        managed.launcher(),
        workspace,
        home,
        null,
        modelUrl,
        extraEnv,
        extraAllowedTools,
        extraArgs);
  }

  /**
   * The same with more tools allowed by Claude Code's own permissions (e.g. MCP tools, {@code
   * mcp__SERVER__TOOL}) and more command-line arguments (e.g. {@code --mcp-config}).
   */
  public static Run run(
      Path workspace,
      Path home,
      Path settings,
      String modelUrl,
      Map<String, String> extraEnv,
      List<String> extraAllowedTools,
      List<String> extraArgs)
      throws IOException, InterruptedException {
    return run(BINARY, workspace, home, settings, modelUrl, extraEnv, extraAllowedTools, extraArgs);
  }

  /** The same with the given Claude Code binary (e.g. {@link #LATEST}). */
  public static Run run(
      Path binary,
      Path workspace,
      Path home,
      Path settings,
      String modelUrl,
      Map<String, String> extraEnv,
      List<String> extraAllowedTools,
      List<String> extraArgs)
      throws IOException, InterruptedException {
    return run(
        binary,
        List.of(),
        workspace,
        home,
        settings,
        modelUrl,
        extraEnv,
        extraAllowedTools,
        extraArgs);
  }

  private static Run run(
      Path binary,
      List<String> launcher,
      Path workspace,
      Path home,
      Path settings,
      String modelUrl,
      Map<String, String> extraEnv,
      List<String> extraAllowedTools,
      List<String> extraArgs)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          binary + " is missing: the build installs it (mvn -pl agent-tests -am verify)");
    }
    Files.createDirectories(home);
    List<String> command = new ArrayList<>(launcher);
    command.addAll(List.of(binary.toString(), "-p", "Work on the task."));
    if (settings != null) {
      command.addAll(List.of("--settings", settings.toString()));
    }
    command.addAll(List.of("--output-format", "json", "--allowedTools"));
    command.addAll(ALLOWED_TOOLS);
    command.addAll(extraAllowedTools);
    command.addAll(extraArgs);
    Path stdout = Files.createTempFile(home, "claude-stdout-", ".json");
    Path stderr = Files.createTempFile(home, "claude-stderr-", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workspace.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", home.toString());
    env.put("LANG", "C.UTF-8");
    env.put("ANTHROPIC_BASE_URL", modelUrl);
    env.put("ANTHROPIC_API_KEY", "sk-ant-tollgate-agent-tests-dummy");
    // No update checks, telemetry, error reports or other calls home: the machine has no route
    // to Anthropic, and a test must not depend on one.
    env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
    env.put("DISABLE_AUTOUPDATER", "1");
    env.put("DISABLE_TELEMETRY", "1");
    env.put("DISABLE_ERROR_REPORTING", "1");
    env.put("DISABLE_BUG_COMMAND", "1");
    env.putAll(extraEnv);
    long start = System.nanoTime();
    Process process = builder.start();
    try {
      if (!process.waitFor(SESSION_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError(
            "Claude Code still running after "
                + SESSION_LIMIT
                + ": killed. stderr: "
                + Files.readString(stderr));
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      String out = Files.readString(stdout);
      // json prints one document, stream-json one per line: read them as a sequence either way.
      List<JsonNode> messages =
          out.isBlank()
              ? List.of()
              : JSON.readerFor(JsonNode.class).<JsonNode>readValues(out).readAll();
      JsonNode result =
          messages.isEmpty() ? JSON.createObjectNode() : messages.get(messages.size() - 1);
      return new Run(process.exitValue(), result, messages, out, Files.readString(stderr), elapsed);
    } finally {
      kill(process);
    }
  }

  /** Ends the session and whatever it left behind (a hook, a Bash command), each by its PID. */
  private static void kill(Process process) throws InterruptedException {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
