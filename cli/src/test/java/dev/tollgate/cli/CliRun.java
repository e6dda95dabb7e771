package dev.tollgate.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

  /** Lines of stderr, for checking that each problem is exactly one line. */
  String[] errLines() {
    return err.lines().toArray(String[]::new);
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
