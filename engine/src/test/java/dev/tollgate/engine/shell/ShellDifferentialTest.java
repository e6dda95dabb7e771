package dev.tollgate.engine.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Differential test of the shell parser against two independent ones, over the corpus in {@code
 * src/test/resources/shell/corpus.jsonl}: Bash itself ({@code bash -n}) decides which inputs are
 * valid, and mvdan.cc/sh (the Go program in {@code src/test/go/shparse}, built into target/) lists
 * the simple commands with their literal names and arguments. Every disagreement must be in {@code
 * differential-allowlist.jsonl} with a reason.
 */
class ShellDifferentialTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CORPUS = Path.of("src/test/resources/shell/corpus.jsonl");
  private static final Path ALLOWLIST =
      Path.of("src/test/resources/shell/differential-allowlist.jsonl");
  private static final Path GO_SOURCE = Path.of("src/test/go/shparse");
  private static final Path GO_BINARY = Path.of("target/shparse");

  @Test
  void agreesWithBashAndMvdanOnTheCorpus() throws Exception {
    Optional<Path> go = executable("go");
    Optional<Path> bash = executable("bash");
    Assumptions.assumeTrue(
        go.isPresent() && bash.isPresent(),
        "differential shell-parser test skipped: needs `go` and `bash` on PATH");
    buildReference(go.get());
    List<String> corpus = readCorpus();
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(1000);
    List<JsonNode> reference = runReference(corpus);
    Map<String, String> allowed = readAllowlist();

    int parseAgree = 0;
    int bothParsed = 0;
    int commandsAgree = 0;
    List<String> unexplained = new ArrayList<>();
    for (int i = 0; i < corpus.size(); i++) {
      String command = corpus.get(i);
      boolean bashValid = bashAccepts(bash.get(), command);
      Script script = null;
      String javaError = null;
      try {
        script = ShellAnalyzer.parse(command);
      } catch (ShellSyntaxException e) {
        javaError = e.getMessage();
      }
      JsonNode mvdan = reference.get(i);
      List<String> problems = new ArrayList<>();
      if ((script != null) == bashValid) {
        parseAgree++;
      } else {
        problems.add(
            "bash -n "
                + (bashValid ? "accepts" : "rejects")
                + ", Java "
                + (script != null ? "parses" : "fails: " + javaError));
      }
      if (script != null && mvdan.path("ok").asBoolean()) {
        bothParsed++;
        List<List<String>> ours = LiteralCommands.of(script);
        List<List<String>> theirs = mvdanCommands(mvdan);
        if (ours.equals(theirs)) {
          commandsAgree++;
        } else {
          problems.add("commands differ: Java " + ours + " vs mvdan " + theirs);
        }
      }
      if (!problems.isEmpty() && !allowed.containsKey(command)) {
        unexplained.add(
            JSON.writeValueAsString(
                Map.of("command", command, "problem", String.join("; ", problems))));
      }
    }
    System.out.printf(
        "shell differential: %d commands; parse verdict agrees with bash -n on %d (%.1f%%); "
            + "literal commands agree with mvdan.cc/sh on %d of %d parsed by both (%.1f%%); %d allow-listed%n",
        corpus.size(),
        parseAgree,
        100.0 * parseAgree / corpus.size(),
        commandsAgree,
        bothParsed,
        100.0 * commandsAgree / Math.max(1, bothParsed),
        allowed.size());
    // The unexplained ones, one JSON object a line, ready to be fixed or allow-listed with a
    // reason.
    Files.write(
        Path.of("target/shell-differential-unexplained.jsonl"),
        unexplained,
        StandardCharsets.UTF_8);
    assertThat(unexplained).as("disagreements missing from " + ALLOWLIST).isEmpty();
  }

  private static List<List<String>> mvdanCommands(JsonNode result) {
    List<List<String>> commands = new ArrayList<>();
    for (JsonNode command : result.path("commands")) {
      List<String> literal = new ArrayList<>();
      literal.add(command.path("name").isNull() ? null : command.path("name").asText());
      if (command.path("args").isNull() || command.path("args").isMissingNode()) {
        literal.add("*");
      } else {
        for (JsonNode arg : command.path("args")) {
          literal.add(arg.isNull() ? null : arg.asText());
        }
      }
      commands.add(literal);
    }
    return LiteralCommands.sorted(commands);
  }

  private static Optional<Path> executable(String name) {
    List<String> dirs =
        new ArrayList<>(
            List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.add("/usr/local/go/bin");
    for (String dir : dirs) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static void buildReference(Path go) throws IOException, InterruptedException {
    Process build =
        new ProcessBuilder(go.toString(), "build", "-o", GO_BINARY.toAbsolutePath().toString(), ".")
            .directory(GO_SOURCE.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(build.waitFor(5, TimeUnit.MINUTES)).as("go build finished").isTrue();
    assertThat(build.exitValue()).as("go build of the mvdan.cc/sh reference: " + output).isZero();
  }

  private static List<String> readCorpus() throws IOException {
    List<String> corpus = new ArrayList<>();
    for (String line : Files.readAllLines(CORPUS, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        corpus.add(JSON.readValue(line, String.class));
      }
    }
    return corpus;
  }

  private static Map<String, String> readAllowlist() throws IOException {
    Map<String, String> allowed = new LinkedHashMap<>();
    for (String line : Files.readAllLines(ALLOWLIST, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        JsonNode entry = JSON.readTree(line);
        assertThat(entry.path("reason").asText())
            .as("allow-list entry needs a reason: " + line)
            .isNotBlank();
        allowed.put(entry.path("command").asText(), entry.path("reason").asText());
      }
    }
    return allowed;
  }

  private static List<JsonNode> runReference(List<String> corpus) throws Exception {
    Process process = new ProcessBuilder(GO_BINARY.toAbsolutePath().toString()).start();
    CompletableFuture<Void> feed =
        CompletableFuture.runAsync(
            () -> {
              try (BufferedWriter in =
                  new BufferedWriter(
                      new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8))) {
                for (String command : corpus) {
                  in.write(JSON.writeValueAsString(command));
                  in.write('\n');
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    List<JsonNode> results = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        results.add(JSON.readTree(line));
      }
    }
    feed.get(1, TimeUnit.MINUTES);
    assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(results).hasSameSizeAs(corpus);
    return results;
  }

  /**
   * Bash's verdict. {@code bash -n} exits 0 after errors inside {@code [[ ]]} (it only prints
   * them), so a printed syntax or conditional-expression error also counts as a rejection; a
   * here-document closed by the end of input is only a warning.
   */
  private static boolean bashAccepts(Path bash, String command)
      throws IOException, InterruptedException {
    Process check =
        new ProcessBuilder(
                bash.toString(),
                "--norc",
                "--noprofile",
                "-O",
                "extglob",
                "-n",
                "-c",
                "--",
                command)
            .redirectErrorStream(true)
            .start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!check.waitFor(30, TimeUnit.SECONDS)) {
      check.destroyForcibly();
      return false;
    }
    return check.exitValue() == 0
        && !output.contains("syntax error")
        && !output.contains("conditional");
  }
}
