package dev.tollgate.webhook.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The admission endpoint over HTTPS (the API server only calls webhooks over TLS). The SSLContext
 * comes from {@code dev.tollgate.webhook.tls}, whose key manager swaps certificates in place, so a
 * rotation needs no restart.
 */
public final class WebhookServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;

  public WebhookServer(String host, int port, SSLContext tls, AdmissionHttpHandler handler)
      throws IOException {
    HttpsServer https = HttpsServer.create(new InetSocketAddress(host, port), 128);
    https.setHttpsConfigurator(new HttpsConfigurator(tls));
    AtomicInteger counter = new AtomicInteger();
    executor =
        Executors.newFixedThreadPool(
            8,
            runnable -> {
              Thread thread = new Thread(runnable, "tollgate-webhook-" + counter.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    https.setExecutor(executor);
    https.createContext("/", handler);
    server = https;
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
