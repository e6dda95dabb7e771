package dev.tollgate.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real git server on loopback: git's own {@code git http-backend} (CGI) behind a JDK HTTP server
 * that demands HTTP Basic credentials, as a hosted upstream does. Records every Authorization
 * header it was sent, so a test can prove whose credential reached it.
 */
public final class GitHttpUpstream implements AutoCloseable {

  public static final String USER = "x-access-token";
  public static final String TOKEN = "upstream-secret-token";
  private static final Path HTTP_BACKEND = Path.of("/usr/lib/git-core/git-http-backend");

  private final Path root;
  private final HttpServer server;
  private final String origin;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  public final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  public volatile int refused;

  /** Plain HTTP on loopback. */
  public GitHttpUpstream(Path root) throws IOException {
    this(root, HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
  }

  private GitHttpUpstream(Path root, HttpServer server) {
    this.root = root;
    this.server = server;
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
    InetSocketAddress bound = server.getAddress();
    String scheme = server instanceof HttpsServer ? "https" : "http";
    this.origin = scheme + "://" + bound.getAddress().getHostAddress() + ":" + bound.getPort();
  }

  /**
   * HTTPS on {@code address} (loopback, or a bridge the test made so pods reach it), presenting
   * {@code tls}'s certificate, which must name that address.
   */
  public static GitHttpUpstream https(Path root, InetAddress address, SelfSignedTls tls)
      throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress(address, 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
    return new GitHttpUpstream(root, server);
  }

  public static boolean available() {
    return HTTP_BACKEND.toFile().canExecute();
  }

  /** The URL of bare repository {@code name} (without credentials). */
  public String url(String name) {
    return origin + "/" + name + ".git";
  }

  /** The URL with the credential in it, for the test's own direct pushes. */
  public String authenticatedUrl(String name) {
    return origin.replace("://", "://" + USER + ":" + TOKEN + "@") + "/" + name + ".git";
  }

  /** A bare repository whose default branch is main and that accepts pushes. */
  public Path create(String name) throws IOException, InterruptedException {
    Path repository = root.resolve(name + ".git");
    git(root, "init", "-q", "--bare", "-b", "main", repository.toString());
    git(repository, "config", "http.receivepack", "true");
    return repository;
  }

  private static void git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("git " + String.join(" ", args) + " failed: " + output);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization != null) {
        authorizations.add(authorization);
      }
      String expected =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((USER + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
      if (!expected.equals(authorization)) {
        refused++;
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"upstream\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      runBackend(exchange);
    }
  }

  private void runBackend(HttpExchange exchange) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(HTTP_BACKEND.toString());
    Map<String, String> env = builder.environment();
    env.put("GIT_PROJECT_ROOT", root.toString());
    env.put("GIT_HTTP_EXPORT_ALL", "1");
    env.put("REQUEST_METHOD", exchange.getRequestMethod());
    env.put("PATH_INFO", exchange.getRequestURI().getPath());
    String query = exchange.getRequestURI().getRawQuery();
    env.put("QUERY_STRING", query == null ? "" : query);
    env.put("REMOTE_USER", USER);
    env.put("REMOTE_ADDR", "127.0.0.1");
    copyHeader(exchange, "Content-Type", "CONTENT_TYPE", env);
    copyHeader(exchange, "Content-Length", "CONTENT_LENGTH", env);
    copyHeader(exchange, "Content-Encoding", "HTTP_CONTENT_ENCODING", env);
    copyHeader(exchange, "Git-Protocol", "GIT_PROTOCOL", env);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    executor.execute(
        () -> {
          try (InputStream in = exchange.getRequestBody();
              OutputStream out = process.getOutputStream()) {
            in.transferTo(out);
          } catch (IOException ignored) {
            // the backend stopped reading; its answer says why
          }
        });
    try (InputStream cgi = process.getInputStream()) {
      int status = 200;
      for (String line = headerLine(cgi); !line.isEmpty(); line = headerLine(cgi)) {
        int colon = line.indexOf(':');
        String name = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Status")) {
          status = Integer.parseInt(value.substring(0, 3));
        } else {
          exchange.getResponseHeaders().add(name, value);
        }
      }
      exchange.sendResponseHeaders(status, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        cgi.transferTo(out);
      }
    } finally {
      process.destroy();
    }
  }

  private static void copyHeader(
      HttpExchange exchange, String header, String variable, Map<String, String> env) {
    String value = exchange.getRequestHeaders().getFirst(header);
    if (value != null) {
      env.put(variable, value);
    }
  }

  private static String headerLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
