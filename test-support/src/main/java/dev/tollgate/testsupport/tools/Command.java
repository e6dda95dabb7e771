package dev.tollgate.testsupport.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One program run to its end with a deadline; on the deadline it and its descendants are killed by
 * PID. Output goes through files, so a chatty child never blocks on a full pipe. The cluster tests
 * run kubectl, crictl and the node's tools with it; {@link GoTool} runs the Go checkers.
 */
public record Command(List<String> argv, Duration timeout, Map<String, String> env, String stdin) {

  /** What a finished run printed and how it exited. */
  public record Result(List<String> argv, int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** stdout of a run that must succeed; otherwise an error naming the command and its stderr. */
    public String expectOk() {
      if (!ok()) {
        throw new AssertionError(this.describe());
      }
      return stdout;
    }

    public String describe() {
      return String.join(" ", argv)
          + " exited "
          + exitCode
          + "\nstdout: "
          + stdout
          + "\nstderr: "
          + stderr;
    }
  }

  public static Command of(Duration timeout, String... argv) {
    return new Command(List.of(argv), timeout, Map.of(), null);
  }

  public Command withStdin(String input) {
    return new Command(argv, timeout, env, input);
  }

  public Command withEnv(Map<String, String> extra) {
    return new Command(argv, timeout, extra, stdin);
  }

  public Result run() {
    Path out = null;
    Path err = null;
    Path in = null;
    try {
      out = Files.createTempFile("cluster-cmd", ".out");
      err = Files.createTempFile("cluster-cmd", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().putAll(env);
      if (stdin != null) {
        in = Files.createTempFile("cluster-cmd", ".in");
        Files.writeString(in, stdin);
        builder.redirectInput(in.toFile());
      } else {
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      }
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            String.join(" ", argv)
                + " did not finish within "
                + timeout
                + " (killed)\nstderr: "
                + tail(Files.readString(err, StandardCharsets.UTF_8)));
      }
      return new Result(
          argv,
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", argv) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + String.join(" ", argv), e);
    } finally {
      for (Path p : new Path[] {out, err, in}) {
        if (p != null) {
          try {
            Files.deleteIfExists(p);
          } catch (IOException ignored) {
            // a temp file left behind is harmless
          }
        }
      }
    }
  }

  private static String tail(String text) {
    return text.length() > 4000 ? "..." + text.substring(text.length() - 4000) : text;
  }
}
