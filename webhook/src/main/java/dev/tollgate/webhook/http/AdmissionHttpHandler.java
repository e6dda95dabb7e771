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
 * echoes {@code request.uid} in the response. A review that cannot be read is a 400 (the API server
 * then applies the webhook's failurePolicy), never a crash.
 */
public final class AdmissionHttpHandler implements HttpHandler {

  private static final Logger LOG = Logger.getLogger(AdmissionHttpHandler.class.getName());
  private static final int MAX_BODY = 8 << 20;

  private final AdmissionRouter router;
  private final KubernetesSerialization serialization;
  private final AdmissionObserver observer;

  public AdmissionHttpHandler(
      AdmissionRouter router, KubernetesSerialization serialization, AdmissionObserver observer) {
    this.router = router;
    this.serialization = serialization;
    this.observer = observer;
  }

  /**
   * One answer, apart from the exchange that carries it, so the webhook can replay reviews through
   * exactly this path in process before it takes traffic (JIT warm-up).
   *
   * @param outcome for the observer: allowed, patched, denied, malformed, too_large, error, or null
   *     for requests that are not admission reviews at all (wrong path or method)
   */
  public record Answer(int status, String contentType, String body, String outcome) {}

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    String path = exchange.getRequestURI().getPath();
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      Answer answer = answer(path, exchange.getRequestMethod(), body);
      // Counted before the answer leaves: a client that reads the answer and then the metrics
      // must find it counted.
      if (answer.outcome() != null) {
        observer.observe(path, answer.outcome(), System.nanoTime() - start);
      }
      send(exchange, answer.status(), answer.contentType(), answer.body());
    }
  }

  /** What {@link #handle} answers for this request. */
  public Answer answer(String path, String method, byte[] body) {
    if (!router.paths().contains(path)) {
      return new Answer(404, "text/plain", "no webhook at " + path + "\n", null);
    }
    if (!"POST".equals(method)) {
      return new Answer(405, "text/plain", "use POST\n", null);
    }
    if (body.length > MAX_BODY) {
      return new Answer(
          413, "text/plain", "AdmissionReview larger than " + MAX_BODY + " bytes\n", "too_large");
    }
    Optional<AdmissionRequest> request = read(body);
    if (request.isEmpty()) {
      return new Answer(
          400,
          "text/plain",
          "expected an admission.k8s.io/v1 AdmissionReview with request.uid\n",
          "malformed");
    }
    AdmissionResponse response;
    try {
      response = router.route(path, request.get()).orElseThrow();
    } catch (RuntimeException e) {
      // A bug must not become an allow: answer with an error and let failurePolicy decide.
      LOG.log(Level.SEVERE, "admission failed for " + path, e);
      return new Answer(500, "text/plain", "internal error\n", "error");
    }
    AdmissionReview review = new AdmissionReview();
    review.setApiVersion("admission.k8s.io/v1");
    review.setKind("AdmissionReview");
    review.setResponse(response);
    return new Answer(
        200,
        "application/json",
        serialization.asJson(review),
        Boolean.TRUE.equals(response.getAllowed())
            ? (response.getPatch() == null ? "allowed" : "patched")
            : "denied");
  }

  private Optional<AdmissionRequest> read(byte[] body) {
    try {
      AdmissionReview review =
          serialization.unmarshal(new String(body, StandardCharsets.UTF_8), AdmissionReview.class);
      if (review == null
          || !"admission.k8s.io/v1".equals(review.getApiVersion())
          || review.getRequest() == null
          || review.getRequest().getUid() == null
          || review.getRequest().getUid().isBlank()) {
        return Optional.empty();
      }
      return Optional.of(review.getRequest());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
