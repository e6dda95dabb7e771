package dev.tollgate.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;

/** One in-process run of {@code tollgate}, with its exit code and what it printed. */
public record CliRun(int exitCode, String out, String err) {

  static final Path EXAMPLES = Path.of("..", "examples");

  public static CliRun run(String... args) {
    return withStdin("", args);
  }

  static CliRun withStdin(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine =
        TollgateCli.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new CliRun(exitCode, out.toString(), err.toString());
  }

  /**
   * A run on its own thread, for commands that run until interrupted ({@code approvals --watch});
   * what it printed so far can be read while it runs.
   */
  public static Background background(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = TollgateCli.commandLine(new ByteArrayInputStream(new byte[0]));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    AtomicInteger exitCode = new AtomicInteger(-1);
    Thread thread = new Thread(() -> exitCode.set(commandLine.execute(args)), "tollgate-cli");
    thread.start();
    return new Background(thread, out, err, exitCode);
  }

  /** A command running on {@code thread}; {@link #stop()} interrupts it, as Ctrl-C would. */
  public record Background(Thread thread, StringWriter out, StringWriter err, AtomicInteger exit) {

    public String printed() {
      return out.toString();
    }

    public String errors() {
      return err.toString();
    }

    /** Interrupts the command and returns its exit code. */
    public int stop() throws InterruptedException {
      thread.interrupt();
      thread.join(10_000);
      if (thread.isAlive()) {
        throw new AssertionError("the command did not stop when interrupted:\n" + out + err);
      }
      return exit.get();
    }
  }

  /** Lines of stderr, for checking that each problem is exactly one line. */
  String[] errLines() {
    return err.lines().toArray(String[]::new);
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
