package dev.tollgate.agenttests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.webhook.injection.GeminiCliSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The pinned Gemini CLI ({@code agent-tests/gemini-cli/package-lock.json}, or the newest one of
 * {@code gemini-cli-latest/}, installed by the build's {@code npm ci}), run headless: {@code -p},
 * {@code --yolo} (Gemini CLI's own confirmations off, so only Tollgate stops a call), the system
 * settings file the webhook injects, a throwaway home, the model behind {@code
 * GOOGLE_GEMINI_BASE_URL}, and nothing else from the build machine's environment.
 */
public final class GeminiCli {

  /** The package directories the build installs, by name. */
  public static final Path INSTALL_ROOT =
      Path.of(System.getProperty("tollgate.geminiCliRoot", "target")).toAbsolutePath();

  /** Where system settings files go: Gemini CLI reads one only under root-owned, 0755 parents. */
  private static final Path SYSTEM_DIR =
      Path.of(System.getProperty("tollgate.geminiSystemDir", "target/gemini-cli-system"))
          .toAbsolutePath();

  /** A model name that Gemini CLI uses as is: "auto" would ask a classifier model first. */
  static final String MODEL = "gemini-2.5-pro";

  private static final Duration SESSION_LIMIT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  private GeminiCli() {}

  /** One finished headless session. */
  public record Run(int exitCode, String stdout, String stderr, Duration elapsed) {
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

  /** The entry point of the installed package {@code dir} ({@code gemini-cli}, ...). */
  public static Path entryPoint(String dir) {
    return INSTALL_ROOT.resolve(dir).resolve("node_modules/@google/gemini-cli/bundle/gemini.js");
  }

  public static String version(String dir) throws IOException {
    return JSON.readTree(
            INSTALL_ROOT
                .resolve(dir)
                .resolve("node_modules/@google/gemini-cli/package.json")
                .toFile())
        .path("version")
        .asText();
  }

  /**
   * Writes the system settings the webhook injects (hook client {@code hookCommand}, decision point
   * {@code decisionUrl}) where Gemini CLI accepts them, after {@code edit} had its way with them (a
   * test's shorter deadline), and returns the file.
   */
  public static Path systemSettings(
      String hookCommand, String decisionUrl, Consumer<ObjectNode> edit) throws IOException {
    ObjectNode settings =
        (ObjectNode)
            JSON.readTree(GeminiCliSettings.json(300, List.of(), hookCommand, decisionUrl));
    edit.accept(settings);
    return systemSettings(settings);
  }

  /** Writes {@code settings} as a system settings file Gemini CLI accepts. */
  public static Path systemSettings(ObjectNode settings) throws IOException {
    Path dir = Files.createDirectories(SYSTEM_DIR.resolve(UUID.randomUUID().toString()));
    Files.setPosixFilePermissions(
        dir,
        Set.of(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_EXECUTE));
    Path file = dir.resolve("settings.json");
    Files.writeString(file, settings.toPrettyString());
    Object uid = Files.getAttribute(file, "unix:uid");
    if (!Integer.valueOf(0).equals(uid)) {
      // Gemini CLI would skip the file (a warning on stderr) and run every call unhooked.
      throw new IllegalStateException(
          "Gemini CLI reads system settings only from root-owned files; these tests must run as"
              + " root (file owner uid "
              + uid
              + ")");
    }
    return file;
  }

  /** Runs one headless session in {@code workspace} with the pinned package. */
  public static Run run(
      String packageDir,
      Path workspace,
      Path home,
      Path systemSettings,
      String modelUrl,
      Map<String, String> extraEnv)
      throws IOException, InterruptedException {
    Path entry = entryPoint(packageDir);
    if (!Files.isRegularFile(entry)) {
      throw new IllegalStateException(
          entry + " is missing: the build installs it (mvn -pl agent-tests -am verify)");
    }
    // The user's settings say how to authenticate (an API key, at the base URL below) and that
    // nothing is to be reported home: the tests talk to loopback only.
    // Laid over what a test put there (a user trying to get out from under the hook).
    Path userSettings = Files.createDirectories(home.resolve(".gemini")).resolve("settings.json");
    ObjectNode user =
        Files.exists(userSettings)
            ? (ObjectNode) JSON.readTree(userSettings.toFile())
            : JSON.createObjectNode();
    user.withObject("/security").withObject("/auth").put("selectedType", "gemini-api-key");
    user.withObject("/privacy").put("usageStatisticsEnabled", false);
    Files.writeString(userSettings, user.toPrettyString());
    List<String> command =
        new ArrayList<>(
            List.of("node", entry.toString(), "-m", MODEL, "--yolo", "-p", "Work on the task."));
    Path stdout = Files.createTempFile(home, "gemini-stdout-", ".txt");
    Path stderr = Files.createTempFile(home, "gemini-stderr-", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workspace.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    Map<String, String> env = builder.environment();
    String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.clear();
    env.put("PATH", path); // node, and the bash Gemini CLI runs hooks and shell commands with
    env.put("HOME", home.toString());
    env.put("LANG", "C.UTF-8");
    env.put(GeminiCliSettings.PATH_ENV, systemSettings.toString());
    env.put("GOOGLE_GEMINI_BASE_URL", modelUrl);
    env.put("GEMINI_API_KEY", "tollgate-agent-tests-dummy");
    env.put("GEMINI_CLI_NO_RELAUNCH", "true");
    env.put("NO_COLOR", "1");
    env.putAll(extraEnv);
    long start = System.nanoTime();
    Process process = builder.start();
    try {
      if (!process.waitFor(SESSION_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError(
            "Gemini CLI still running after "
                + SESSION_LIMIT
                + ": killed. stderr: "
                + Files.readString(stderr));
      }
      return new Run(
          process.exitValue(),
          Files.readString(stdout),
          Files.readString(stderr),
          Duration.ofNanos(System.nanoTime() - start));
    } finally {
      List<ProcessHandle> descendants = process.descendants().toList();
      process.destroyForcibly();
      descendants.forEach(ProcessHandle::destroyForcibly);
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
