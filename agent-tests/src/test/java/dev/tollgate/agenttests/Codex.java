package dev.tollgate.agenttests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Codex CLI ({@code agent-tests/codex/package-lock.json} pinned, {@code
 * agent-tests/codex-latest/} the newest, both installed by the build's {@code npm ci}), run
 * headless with {@code codex exec} the way a platform runs it in an agent pod: the webhook's {@code
 * /etc/codex/config.toml} and {@code requirements.toml} (seen through an overlay of {@code /etc} in
 * a mount namespace of the session's own, so the machine's {@code /etc} is never written), a
 * throwaway {@code CODEX_HOME}, the scripted model as a Responses API provider on loopback, and
 * nothing else from the build machine's environment.
 */
public final class Codex {

  /** The pinned release. */
  public static final Path PINNED = binary("tollgate.codex", "target/codex");

  /** The newest release the registry served when {@code codex-latest}'s lock was updated. */
  public static final Path LATEST = binary("tollgate.codexLatest", "target/codex-latest");

  /** Scripts name this model; Codex knows no metadata for it and uses its defaults. */
  static final String MODEL = "gpt-5-codex";

  private static final Duration SESSION_LIMIT = Duration.ofSeconds(120);

  private static final String MOUNT_AND_RUN =
      "mount -t overlay tollgate-agent-test -o \"lowerdir=/etc,upperdir=$1,workdir=$2\" /etc"
          + " && shift 2 && exec \"$@\"";

  private static final AtomicInteger LAUNCHES = new AtomicInteger();

  private Codex() {}

  private static Path binary(String property, String dir) {
    return Path.of(
            System.getProperty(
                property,
                dir
                    + "/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin"
                    + "/codex"))
        .toAbsolutePath();
  }

  /** One finished {@code codex exec}. */
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

  /** The binary's own {@code --version} ("codex-cli 0.169.1"). */
  public static String version(Path binary) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(binary.toString(), "--version").start();
    try {
      String out = new String(process.getInputStream().readAllBytes()).strip();
      process.waitFor(10, TimeUnit.SECONDS);
      return out;
    } finally {
      process.destroyForcibly();
    }
  }

  /**
   * Runs one headless session of {@code binary} in {@code workspace} with {@code config} and {@code
   * requirements} as {@code /etc/codex}, and waits for it; {@code extraArgs} go before the prompt
   * (what a user could add to switch Tollgate off).
   */
  public static Run run(
      Path binary,
      Path workspace,
      Path home,
      String config,
      String requirements,
      String modelUrl,
      List<String> extraArgs)
      throws IOException, InterruptedException {
    return run(binary, workspace, home, config, requirements, "", modelUrl, extraArgs);
  }

  /** The same with {@code userConfig} as the user's own {@code $CODEX_HOME/config.toml}. */
  public static Run run(
      Path binary,
      Path workspace,
      Path home,
      String config,
      String requirements,
      String userConfig,
      String modelUrl,
      List<String> extraArgs)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          binary + " is missing: the build installs it (mvn -pl agent-tests -am verify)");
    }
    Path root = home.toAbsolutePath().normalize();
    if (!root.toString().matches("/[A-Za-z0-9_./-]+")) {
      throw new IllegalArgumentException("the overlay needs a plain path: " + root);
    }
    Path launch = Files.createDirectories(root.resolve("etc-" + LAUNCHES.incrementAndGet()));
    Path upper = Files.createDirectories(launch.resolve("upper"));
    Path work = Files.createDirectories(launch.resolve("work"));
    Path etcCodex = Files.createDirectories(upper.resolve("codex"));
    Files.writeString(etcCodex.resolve("config.toml"), config);
    Files.writeString(etcCodex.resolve("requirements.toml"), requirements);
    Path codexHome = Files.createDirectories(root.resolve("codex-home"));
    Files.writeString(codexHome.resolve("config.toml"), userConfig);

    List<String> command =
        new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private"));
    if (!"root".equals(System.getProperty("user.name"))) {
      command.add("--map-root-user");
    }
    command.addAll(List.of("sh", "-c", MOUNT_AND_RUN, "sh", upper.toString(), work.toString()));
    command.addAll(
        List.of(
            binary.toString(),
            "exec",
            "--skip-git-repo-check",
            "-c",
            "model_providers.tollgate={name=\"tollgate-scripted\",base_url=\""
                + modelUrl
                + "\",wire_api=\"responses\",env_key=\"OPENAI_API_KEY\"}",
            "-c",
            "model_provider=\"tollgate\"",
            "-m",
            MODEL));
    command.addAll(extraArgs);
    command.add("Work on the task.");
    Path stdout = Files.createTempFile(root, "codex-stdout-", ".txt");
    Path stderr = Files.createTempFile(root, "codex-stderr-", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workspace.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", root.toString());
    env.put("CODEX_HOME", codexHome.toString());
    env.put("LANG", "C.UTF-8");
    env.put("SHELL", "/bin/bash");
    env.put("OPENAI_API_KEY", "sk-tollgate-agent-tests-dummy");
    long start = System.nanoTime();
    Process process = builder.start();
    try {
      if (!process.waitFor(SESSION_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError(
            "Codex still running after "
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
      // The session and whatever it left behind (a hook, a command), each by its PID.
      List<ProcessHandle> descendants = process.descendants().toList();
      process.destroyForcibly();
      descendants.forEach(ProcessHandle::destroyForcibly);
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
