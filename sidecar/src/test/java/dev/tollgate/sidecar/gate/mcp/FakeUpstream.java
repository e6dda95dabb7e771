package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A scripted upstream for the unit tests: what no real SDK here offers (a stateless 2026-07-28
 * server, garbage, stalls). Records every request it receives.
 */
final class FakeUpstream implements AutoCloseable {

  record Received(String method, Map<String, String> headers, String body) {
    JsonNode json() throws IOException {
      return JsonRpc.JSON.readTree(body);
    }
  }

  /**
   * What to answer: SSE when {@code events} is set (each written and flushed, with a pause
   * between).
   */
  record Answer(
      int status, String contentType, String body, List<String> events, long pauseMillis) {
    static Answer json(String body) {
      return new Answer(200, "application/json", body, null, 0);
    }

    static Answer sse(String... dataLines) {
      return new Answer(200, "text/event-stream", null, List.of(dataLines), 0);
    }
  }

  final HttpServer server;
  final List<Received> received = new CopyOnWriteArrayList<>();
  volatile Function<Received, Answer> script = r -> Answer.json("{}");

  FakeUpstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            Map<String, String> headers =
                exchange.getRequestHeaders().entrySet().stream()
                    .collect(
                        Collectors.toMap(
                            e -> e.getKey().toLowerCase(Locale.ROOT),
                            e -> String.join(",", e.getValue()),
                            (a, b) -> a));
            Received request =
                new Received(
                    exchange.getRequestMethod(),
                    headers,
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            received.add(request);
            Answer answer = script.apply(request);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            if (answer.events() == null) {
              if (answer.pauseMillis() > 0) {
                sleep(answer.pauseMillis());
              }
              byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
              exchange.getResponseBody().write(bytes);
              return;
            }
            exchange.sendResponseHeaders(answer.status(), 0);
            OutputStream out = exchange.getResponseBody();
            for (String data : answer.events()) {
              if (answer.pauseMillis() > 0) {
                sleep(answer.pauseMillis());
              }
              out.write(
                  ("event: message\r\ndata: " + data + "\r\n\r\n")
                      .getBytes(StandardCharsets.UTF_8));
              out.flush();
            }
          } catch (IOException e) {
            // the gateway went away (timeouts)
          }
        });
    server.start();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/mcp";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
