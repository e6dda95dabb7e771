package dev.tollgate.webhook.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tollgate.webhook.admission.AdmissionRouter;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * AdmissionReview v1 over HTTP: reads and checks the review, hands the request to the router and
 * echoes {@code request.uid} in the response. A review that cannot be read is a 400 (the API
 * server then applies the webhook's failurePolicy), never a crash.
 */
public final class AdmissionHttpHandler implements HttpHandler {

  private static final Logger LOG = Logger.getLogger(AdmissionHttpHandler.class.getName());
  private static final int MAX_BODY = 8 << 20;

  private final AdmissionRouter router;
  private final KubernetesSerialization serialization;
  private final AdmissionObserver observer;

  public AdmissionHttpHandler(AdmissionRouter router, KubernetesSerialization serialization, AdmissionObserver observer) {
    this.router = router;
    this.serialization = serialization;
    this.observer = observer;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    String path = exchange.getRequestURI().getPath();
    try (exchange) {
      if (!router.paths().contains(path)) {
        send(exchange, 404, "text/plain", "no webhook at " + path + "\n");
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "text/plain", "use POST\n");
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        send(exchange, 413, "text/plain", "AdmissionReview larger than " + MAX_BODY + " bytes\n");
        observer.observe(path, "too_large", System.nanoTime() - start);
        return;
      }
      Optional<AdmissionRequest> request = read(body);
      if (request.isEmpty()) {
        send(exchange, 400, "text/plain", "expected an admission.k8s.io/v1 AdmissionReview with request.uid\n");
        observer.observe(path, "malformed", System.nanoTime() - start);
        return;
      }
      AdmissionResponse response;
      try {
        response = router.route(path, request.get()).orElseThrow();
      } catch (RuntimeException e) {
        // A bug must not become an allow: answer with an error and let failurePolicy decide.
        LOG.log(Level.SEVERE, "admission failed for " + path, e);
        send(exchange, 500, "text/plain", "internal error\n");
        observer.observe(path, "error", System.nanoTime() - start);
        return;
      }
      AdmissionReview review = new AdmissionReview();
      review.setApiVersion("admission.k8s.io/v1");
      review.setKind("AdmissionReview");
      review.setResponse(response);
      send(exchange, 200, "application/json", serialization.asJson(review));
      observer.observe(path, Boolean.TRUE.equals(response.getAllowed())
          ? (response.getPatch() == null ? "allowed" : "patched") : "denied", System.nanoTime() - start);
    }
  }

  private Optional<AdmissionRequest> read(byte[] body) {
    try {
      AdmissionReview review = serialization.unmarshal(new String(body, StandardCharsets.UTF_8), AdmissionReview.class);
      if (review == null || !"admission.k8s.io/v1".equals(review.getApiVersion()) || review.getRequest() == null
          || review.getRequest().getUid() == null || review.getRequest().getUid().isBlank()) {
        return Optional.empty();
      }
      return Optional.of(review.getRequest());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
