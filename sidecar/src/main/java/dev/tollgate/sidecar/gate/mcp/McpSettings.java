package dev.tollgate.sidecar.gate.mcp;

import dev.tollgate.api.SidecarContract.Paths;
import dev.tollgate.api.SidecarContract.SidecarEnv;
import dev.tollgate.runtime.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The MCP gateway's settings ({@code /mcp/<server>}), read with the sidecar's other settings and
 * validated with them: a bad one stops the start, named by flag and variable.
 *
 * @param denial how a denied {@code tools/call} is answered: a JSON-RPC error {@code -32602}, or a
 *     result with {@code isError: true} carrying the reason
 * @param otherMethods whether methods the gateway does not know pass to the upstream; the ones it
 *     knows (see {@link McpMethods}) are decided, filtered or passed whatever this says, and a
 *     known method spelled differently never passes
 * @param maxRequestBytes request bodies above this get 413
 * @param maxResponseBytes an upstream JSON body or one SSE event above this is refused (-32603)
 * @param connectTimeout connecting to the upstream
 * @param readTimeout until the upstream's response headers, and the longest silence inside a POST's
 *     SSE response (GET streams, which stay open for server messages, have none)
 * @param threads the gateway's own worker threads (upstream calls and streams never hold the
 *     decision endpoints' threads); each open SSE stream holds one
 * @param credentialsDir where the webhook mounts each server's credential: {@code
 *     DIR/<server>/token}
 */
public record McpSettings(
    Denial denial,
    boolean otherMethods,
    int maxRequestBytes,
    int maxResponseBytes,
    Duration connectTimeout,
    Duration readTimeout,
    int threads,
    Path credentialsDir) {

  /** How a denied tools/call is answered. */
  public enum Denial {
    /** JSON-RPC error -32602, as for an unknown tool. */
    ERROR,
    /** A CallToolResult with {@code isError: true} and the reason as text. */
    RESULT
  }

  /** The flags, each overriding its variable. */
  public static final Map<String, String> FLAGS =
      Map.of(
          "--mcp-denial", SidecarEnv.MCP_DENIAL,
          "--mcp-other-methods", SidecarEnv.MCP_OTHER_METHODS,
          "--mcp-max-request-bytes", SidecarEnv.MCP_MAX_REQUEST_BYTES,
          "--mcp-max-response-bytes", SidecarEnv.MCP_MAX_RESPONSE_BYTES,
          "--mcp-connect-timeout-ms", SidecarEnv.MCP_CONNECT_TIMEOUT_MS,
          "--mcp-read-timeout-ms", SidecarEnv.MCP_READ_TIMEOUT_MS,
          "--mcp-threads", SidecarEnv.MCP_THREADS,
          "--mcp-credentials-dir", SidecarEnv.MCP_CREDENTIALS_DIR);

  /** Defaults only (tests). */
  public static McpSettings defaults() {
    return new McpSettings(
        Denial.ERROR,
        false,
        1 << 20,
        8 << 20,
        Duration.ofSeconds(5),
        Duration.ofSeconds(120),
        32,
        Path.of(Paths.MCP_CREDENTIALS_DIR));
  }

  /**
   * Reads and validates; problems go to {@code settings}, with defaults returned in their place.
   */
  public static McpSettings read(Settings settings) {
    Denial denial =
        Denial.valueOf(
            settings
                .choice(SidecarEnv.MCP_DENIAL, "error", List.of("error", "result"))
                .toUpperCase(Locale.ROOT));
    boolean other =
        settings
            .choice(SidecarEnv.MCP_OTHER_METHODS, "deny", List.of("allow", "deny"))
            .equals("allow");
    int maxRequest =
        (int) settings.number(SidecarEnv.MCP_MAX_REQUEST_BYTES, 1 << 20, 1_024, 64 << 20);
    int maxResponse =
        (int) settings.number(SidecarEnv.MCP_MAX_RESPONSE_BYTES, 8 << 20, 1_024, 256 << 20);
    long connectMs = settings.number(SidecarEnv.MCP_CONNECT_TIMEOUT_MS, 5_000, 10, 120_000);
    long readMs = settings.number(SidecarEnv.MCP_READ_TIMEOUT_MS, 120_000, 10, 3_600_000);
    int threads = (int) settings.number(SidecarEnv.MCP_THREADS, 32, 1, 1_024);
    String dir = settings.get(SidecarEnv.MCP_CREDENTIALS_DIR, Paths.MCP_CREDENTIALS_DIR);
    if (!dir.startsWith("/")) {
      settings.problem(
          SidecarEnv.MCP_CREDENTIALS_DIR, "must be an absolute path, got '" + dir + "'");
      dir = Paths.MCP_CREDENTIALS_DIR;
    }
    return new McpSettings(
        denial,
        other,
        maxRequest,
        maxResponse,
        Duration.ofMillis(connectMs),
        Duration.ofMillis(readMs),
        threads,
        Path.of(dir));
  }
}
