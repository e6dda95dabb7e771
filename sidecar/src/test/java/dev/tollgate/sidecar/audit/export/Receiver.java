package dev.tollgate.sidecar.audit.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A log receiver on loopback (the JDK's HTTP server) that records every request and answers what
 * the test scripted: a status per request (the last one repeats), optionally after a wait.
 */
final class Receiver implements AutoCloseable {

  /** One request as received. */
  record Request(String path, String contentType, Map<String, List<String>> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** What to answer: a status, an optional Retry-After, and an optional body. */
  record Answer(int status, String retryAfter, String body) {
    static Answer of(int status) {
      return new Answer(status, null, "");
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final LinkedBlockingQueue<Answer> script = new LinkedBlockingQueue<>();
  private volatile Answer last = Answer.of(200);
  private volatile Runnable beforeAnswer = () -> {};
  final List<Request> requests = new CopyOnWriteArrayList<>();

  Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** Answers these, in order, then keeps answering the last one. */
  Receiver answering(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  /** Runs before each answer (a test blocks here to play a slow receiver). */
  Receiver before(Runnable action) {
    beforeAnswer = action;
    return this;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      requests.add(
          new Request(
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              Map.copyOf(exchange.getRequestHeaders()),
              body));
      beforeAnswer.run();
      Answer answer = script.poll();
      if (answer == null) {
        answer = last;
      } else {
        last = answer;
      }
      if (answer.retryAfter() != null) {
        exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
      }
      byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        exchange.getResponseBody().write(out);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
