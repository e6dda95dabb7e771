package dev.tollgate.sidecar.hookclient;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code bin/tollgate-hook} with bash, as Claude Code does: the hook input on stdin,
 * the answer on stdout, the exit status. {@code PATH} is a directory that holds a copy of bash (and
 * curl for {@link Transport#CURL}) and nothing else, so each run proves which tools that transport
 * needs, and {@link Transport#DEV_TCP} exercises the real fallback taken when curl is not
 * installed.
 */
final class HookScript {

  /** How the script reaches the sidecar, chosen by what its PATH holds. */
  enum Transport {
    CURL,
    DEV_TCP
  }

  /** One finished run. */
  record Run(int exitCode, String stdout, String stderr, long millis) {}

  /** A run that exceeds this is destroyed and the test fails: the client must never hang. */
  static final long HANG_LIMIT_SECONDS = 10;

  static final Path REPO_ROOT =
      Path.of(System.getProperty("tollgate.repoRoot", "..")).toAbsolutePath().normalize();
  static final Path SCRIPT = REPO_ROOT.resolve("bin/tollgate-hook");
  static final Optional<Path> BASH = onPath("bash");
  static final Optional<Path> CURL = onPath("curl");

  private final Path pathDir;
  private final Transport transport;

  private HookScript(Path pathDir, Transport transport) {
    this.pathDir = pathDir;
    this.transport = transport;
  }

  /**
   * A runner whose PATH (a fresh directory under {@code tmp}) offers exactly what the transport
   * needs.
   */
  static HookScript forTransport(Transport transport, Path tmp) throws IOException {
    Path dir = Files.createTempDirectory(tmp, "path-" + transport.name().toLowerCase() + "-");
    // Copies, not symlinks: JUnit's @TempDir cleanup warns about links that point outside it.
    Files.copy(BASH.orElseThrow(), dir.resolve("bash"), StandardCopyOption.COPY_ATTRIBUTES);
    if (transport == Transport.CURL) {
      Files.copy(
          CURL.orElseThrow(() -> new IllegalStateException("curl not installed")),
          dir.resolve("curl"),
          StandardCopyOption.COPY_ATTRIBUTES);
    }
    return new HookScript(dir, transport);
  }

  Run run(String url, String stdin) throws Exception {
    return run(url, stdin, Map.of());
  }

  Run run(String url, String stdin, Map<String, String> extraEnv) throws Exception {
    return run(url, stdin.getBytes(StandardCharsets.UTF_8), extraEnv);
  }

  Run run(String url, byte[] stdin, Map<String, String> extraEnv) throws Exception {
    return run(
        List.of(pathDir.resolve("bash").toString(), SCRIPT.toString()), url, stdin, extraEnv);
  }

  /**
   * Runs the client for {@code client} ({@code tollgate-hook CLIENT}), as Gemini CLI's hook does.
   */
  Run runFor(String client, String url, String stdin) throws Exception {
    return run(
        List.of(pathDir.resolve("bash").toString(), SCRIPT.toString(), client),
        url,
        stdin.getBytes(StandardCharsets.UTF_8),
        Map.of());
  }

  /** Runs {@code command} with {@code bash -c}, as Gemini CLI runs a hook command. */
  Run runCommand(String command, String url, String stdin) throws Exception {
    return run(
        List.of(pathDir.resolve("bash").toString(), "-c", command),
        url,
        stdin.getBytes(StandardCharsets.UTF_8),
        Map.of());
  }

  /**
   * Executes the script itself, so that its shebang line applies (as with Claude Code's exec form).
   */
  Run runDirectly(String url, String stdin, Map<String, String> extraEnv) throws Exception {
    return run(List.of(SCRIPT.toString()), url, stdin.getBytes(StandardCharsets.UTF_8), extraEnv);
  }

  private Run run(List<String> command, String url, byte[] stdin, Map<String, String> extraEnv)
      throws Exception {
    Path out = Files.createTempFile(pathDir, "stdout-", ".txt");
    Path err = Files.createTempFile(pathDir, "stderr-", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    // A clean environment, like a container's: nothing from the build machine leaks in (a proxy,
    // a curlrc, TOLLGATE_* of a developer's shell). A UTF-8 locale, as agent images usually set,
    // so that bash counts characters, not bytes, unless the script says otherwise.
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", pathDir.toString());
    env.put("HOME", pathDir.toString());
    env.put("LANG", "C.UTF-8");
    env.put("TOLLGATE_URL", url);
    if (transport == Transport.CURL) {
      // auto picks /dev/tcp for the sidecar's http:// URL; the curl path is asked for by name.
      env.put("TOLLGATE_HOOK_TRANSPORT", "curl");
    }
    env.putAll(new HashMap<>(extraEnv));
    long start = System.nanoTime();
    Process process = builder.start();
    try {
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin);
      } catch (IOException e) {
        // The script may exit before reading all of stdin (bad settings); its answer still counts.
      }
      if (!process.waitFor(HANG_LIMIT_SECONDS, TimeUnit.SECONDS)) {
        fail(
            "tollgate-hook still running after "
                + HANG_LIMIT_SECONDS
                + "s: it must fail closed within its deadline");
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      return new Run(process.exitValue(), Files.readString(out), Files.readString(err), millis);
    } finally {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static Optional<Path> onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        try {
          return Optional.of(candidate.toRealPath());
        } catch (IOException e) {
          return Optional.of(candidate.toAbsolutePath());
        }
      }
    }
    return Optional.empty();
  }
}
