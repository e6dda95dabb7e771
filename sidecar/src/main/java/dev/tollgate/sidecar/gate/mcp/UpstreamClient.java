package dev.tollgate.sidecar.gate.mcp;

import com.sun.net.httpserver.Headers;
import dev.tollgate.engine.bundle.Bundle;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The HTTP client to the bundle's MCP servers: requests carry the agent's MCP headers and the
 * server's credential, read here from the sidecar-only mount (the agent never has it); bodies are
 * read within the configured bound.
 */
final class UpstreamClient {

  private final McpSettings settings;
  private final McpUpstreamMeter meter;
  // Made on the first upstream request: most sidecars guard no MCP server, and the JDK client
  // (its module, TLS setup and selector thread) cost start-up time and resident memory.
  private volatile HttpClient http;

  UpstreamClient(McpSettings settings, McpUpstreamMeter meter) {
    this.settings = settings;
    this.meter = meter;
  }

  /**
   * A request to the server with the agent's MCP headers and the credential.
   *
   * @throws UpstreamException when the credential is missing or unusable
   */
  HttpRequest.Builder request(Headers agentHeaders, Bundle.McpServer server) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url()));
    McpHeaders.forward(agentHeaders, request);
    String credential = credential(server);
    if (credential != null) {
      request.header("Authorization", "Bearer " + credential);
    }
    return request;
  }

  HttpResponse<InputStream> send(Bundle.McpServer server, HttpRequest request)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    try {
      HttpResponse<InputStream> response =
          http().send(request, HttpResponse.BodyHandlers.ofInputStream());
      meter.upstreamRequest(
          server.name(), outcome(response.statusCode()), System.nanoTime() - start);
      return response;
    } catch (IOException e) {
      meter.upstreamRequest(server.name(), outcome(e), System.nanoTime() - start);
      throw e;
    }
  }

  private static String outcome(int status) {
    if (status >= 500) {
      return "http_5xx";
    }
    return status >= 400 ? "http_4xx" : "ok";
  }

  private static String outcome(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "connect_timeout";
    }
    if (e instanceof HttpTimeoutException) {
      return "timeout";
    }
    return e instanceof ConnectException ? "refused" : "io_error";
  }

  /** A whole upstream body, refused past {@code --mcp-max-response-bytes}. */
  byte[] readBounded(InputStream body) throws IOException {
    byte[] bytes = body.readNBytes(settings.maxResponseBytes() + 1);
    if (bytes.length > settings.maxResponseBytes()) {
      throw new UpstreamException(
          "the MCP server's response is larger than " + settings.maxResponseBytes() + " bytes");
    }
    return bytes;
  }

  /**
   * The server's credential from the sidecar-only mount, read per request (a rotated Secret applies
   * at once).
   */
  private String credential(Bundle.McpServer server) throws IOException {
    if (server.credentialsSecretRef() == null) {
      return null;
    }
    Path file = settings.credentialsDir().resolve(server.name()).resolve("token");
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
        throw new UpstreamException(
            "the credential for MCP server '" + server.name() + "' is empty or not printable");
      }
      return token;
    } catch (NoSuchFileException e) {
      throw new UpstreamException(
          "the credential for MCP server '" + server.name() + "' is not mounted at " + file);
    }
  }

  private HttpClient http() {
    HttpClient client = http;
    if (client == null) {
      synchronized (this) {
        client = http;
        if (client == null) {
          client =
              HttpClient.newBuilder()
                  .version(HttpClient.Version.HTTP_1_1)
                  .connectTimeout(settings.connectTimeout())
                  .followRedirects(HttpClient.Redirect.NEVER)
                  .build();
          http = client;
        }
      }
    }
    return client;
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
