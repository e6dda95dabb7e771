package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Real MCP software for the integration tests: the official TypeScript SDK, installed with {@code
 * npm ci} from {@code src/test/mcp} (package.json + package-lock.json) into {@code target/mcp-it}
 * once per build; an upstream server ({@code server.mjs}) and the agent-side client ({@code
 * client.mjs}). Every process is stopped by its own handle (PID).
 */
final class NodeMcp {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SOURCE = Path.of("src/test/mcp");
  private static final Path WORK = Path.of("target/mcp-it");
  private static boolean installed;

  private NodeMcp() {}

  /**
   * Copies the test tree and runs {@code npm ci} when the lock file changed (npm's cache keeps warm
   * runs quick).
   */
  static synchronized Path install() throws IOException, InterruptedException {
    if (installed) {
      return WORK;
    }
    try {
      Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      if (!version.waitFor(30, TimeUnit.SECONDS) || version.exitValue() != 0) {
        throw new IOException("node --version failed");
      }
    } catch (IOException e) {
      throw new IOException(
          "the MCP gateway integration tests run the official MCP TypeScript SDK: they need "
              + "Node.js 18+ and npm on PATH ("
              + e.getMessage()
              + ")",
          e);
    }
    Files.createDirectories(WORK);
    for (String file : List.of("package.json", "package-lock.json", "server.mjs", "client.mjs")) {
      Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    Path marker = WORK.resolve("node_modules/.tollgate-lock");
    String lock = Files.readString(SOURCE.resolve("package-lock.json"));
    if (!Files.exists(marker) || !Files.readString(marker).equals(lock)) {
      Process npm =
          new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
              .directory(WORK.toFile())
              .redirectErrorStream(true)
              .redirectOutput(WORK.resolve("npm-ci.log").toFile())
              .start();
      if (!npm.waitFor(300, TimeUnit.SECONDS)) {
        npm.destroyForcibly();
        throw new IOException("npm ci took longer than 300 s");
      }
      if (npm.exitValue() != 0) {
        throw new IOException("npm ci failed: " + Files.readString(WORK.resolve("npm-ci.log")));
      }
      Files.writeString(marker, lock);
    }
    installed = true;
    return WORK;
  }

  /** A running upstream MCP server (server.mjs). */
  static final class Upstream implements AutoCloseable {
    final Process process;
    final int port;
    final Path log;

    Upstream(Process process, int port, Path log) {
      this.process = process;
      this.port = port;
      this.log = log;
    }

    String url() {
      return "http://127.0.0.1:" + port + "/mcp";
    }

    /** The upstream's own request log, one entry per HTTP request it received. */
    List<JsonNode> requests() throws IOException {
      List<JsonNode> entries = new ArrayList<>();
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log)) {
          if (!line.isBlank()) {
            entries.add(JSON.readTree(line));
          }
        }
      }
      return entries;
    }

    /** Every tool name that reached the upstream in a tools/call. */
    List<String> calledTools() throws IOException {
      List<String> tools = new ArrayList<>();
      for (JsonNode entry : requests()) {
        entry.path("tools").forEach(tool -> tools.add(tool.asText()));
      }
      return tools;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  static Upstream upstream(Path dir, String token, String... flags) throws Exception {
    Path work = install();
    Path log = Files.createTempFile(dir, "upstream", ".jsonl");
    List<String> command =
        new ArrayList<>(
            List.of(
                "node", "server.mjs", "--log", log.toAbsolutePath().toString(), "--token", token));
    command.addAll(List.of(flags));
    Process process =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectError(dir.resolve("upstream.err").toFile())
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      if (first == null) {
        throw new IOException(
            "the upstream MCP server did not start: "
                + Files.readString(dir.resolve("upstream.err")));
      }
      return new Upstream(process, JSON.readTree(first).path("port").asInt(), log);
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** Runs client.mjs against {@code url} with the steps, and returns its one JSON line. */
  static JsonNode client(String url, String stepsJson) throws Exception {
    Path work = install();
    Process process =
        new ProcessBuilder("node", "client.mjs", url, stepsJson)
            .directory(work.toFile())
            .redirectErrorStream(false)
            .start();
    try {
      CompletableFuture<byte[]> read =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return process.getInputStream().readAllBytes();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      byte[] out = read.get(60, TimeUnit.SECONDS);
      process.waitFor(10, TimeUnit.SECONDS);
      String text = new String(out, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        throw new IOException(
            "client.mjs printed nothing: "
                + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      }
      return JSON.readTree(text.lines().reduce((a, b) -> b).orElseThrow());
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
