package dev.tollgate.sidecar.gate.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real git client, as the agent runs it: isolated from the machine's git configuration. */
final class GitCli {

  /** What a git command printed (stdout and stderr together) and how it ended. */
  record Run(int exit, String output) {}

  /** A git command still running (a push held for approval). */
  record Pending(Process process) {
    Run await() throws Exception {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("git finished").isTrue();
      return new Run(process.exitValue(), output);
    }
  }

  private final Path home;

  GitCli(Path home) {
    this.home = home;
  }

  Run run(Path dir, String... args) throws Exception {
    Process process = start(dir, args).process();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("git " + String.join(" ", args) + " hung");
    }
    return new Run(process.exitValue(), output);
  }

  /** Runs and expects success. */
  String ok(Path dir, String... args) throws Exception {
    Run run = run(dir, args);
    assertThat(run.exit()).as("git %s: %s", String.join(" ", args), run.output()).isZero();
    return run.output().strip();
  }

  Pending start(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.toString());
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_AUTHOR_NAME", "Agent");
    env.put("GIT_AUTHOR_EMAIL", "agent@example.test");
    env.put("GIT_COMMITTER_NAME", "Agent");
    env.put("GIT_COMMITTER_EMAIL", "agent@example.test");
    env.put("LC_ALL", "C");
    env.remove("GIT_DIR");
    return new Pending(builder.start());
  }
}
