package dev.tollgate.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.ToolScope;
import dev.tollgate.webhook.admission.AdmissionRouter;
import dev.tollgate.webhook.delegation.TestDelegation;
import dev.tollgate.webhook.http.AdmissionHttpHandler;
import dev.tollgate.webhook.http.WebhookServer;
import dev.tollgate.webhook.injection.ClusterState;
import dev.tollgate.webhook.tls.Pem;
import dev.tollgate.webhook.tls.SelfManagedTls;
import dev.tollgate.webhook.tls.SelfManagedTlsSettings;
import dev.tollgate.webhook.tls.ServiceNames;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole webhook over real HTTPS with the certificate it manages itself, as the API server calls
 * it.
 */
@EnableKubernetesMockClient(crud = true)
class WebhookHttpsTest {

  KubernetesClient client;
  private SelfManagedTls tls;
  private WebhookServer server;
  private HttpClient trusting;
  private final WebhookMetrics metrics = new WebhookMetrics();

  @BeforeEach
  void start() throws Exception {
    tls =
        new SelfManagedTls(
            client,
            SelfManagedTlsSettings.of("tollgate-system", "tollgate-webhook", "tollgate-webhook-tls")
                .withNames(
                    ServiceNames.of("tollgate-webhook", "tollgate-system")
                        .withIpAddresses(InetAddress.getByName("127.0.0.1"))));
    SSLContext serverContext = tls.start();
    WebhookConfig config =
        WebhookConfig.from(
            Map.of(),
            new String[] {
              "--namespace",
              "tollgate-system",
              "--sidecar-image",
              "registry.example/tollgate-sidecar:0.1.0"
            });
    AdmissionRouter router =
        WebhookMain.router(
            config, clusterFromFixture(), true, Clock.systemUTC(), TestDelegation.check());
    server =
        new WebhookServer(
            "127.0.0.1",
            0,
            serverContext,
            new AdmissionHttpHandler(router, new KubernetesSerialization(), metrics));
    server.start();
    trusting = HttpClient.newBuilder().sslContext(trustingCa()).build();
  }

  @AfterEach
  void stop() {
    server.close();
    tls.close();
  }

  @Test
  void injectsAPodOverHttpsEchoingTheUid() throws Exception {
    String review = Files.readString(Path.of("src/main/resources/warmup/pod-create-review.json"));
    HttpResponse<String> response = post(trusting, AdmissionRouter.MUTATE_PODS, review);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = new ObjectMapper().readTree(response.body());
    assertThat(answer.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(answer.at("/response/uid").asText())
        .isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
    assertThat(answer.at("/response/allowed").asBoolean()).isTrue();
    assertThat(answer.at("/response/patchType").asText()).isEqualTo("JSONPatch");
    String patch =
        new String(
            Base64.getDecoder().decode(answer.at("/response/patch").asText()),
            StandardCharsets.UTF_8);
    assertThat(patch).contains("tollgate-sidecar");
    assertThat(metrics.scrape())
        .contains(
            "tollgate_admission_requests_seconds_count{outcome=\"patched\",webhook=\"/mutate/pods\"} 1");
  }

  @Test
  void malformedReviewsAre400NotACrash() throws Exception {
    for (String body :
        List.of(
            "",
            "{",
            "[]",
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}",
            "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"x\"}}")) {
      HttpResponse<String> response = post(trusting, AdmissionRouter.MUTATE_PODS, body);
      assertThat(response.statusCode()).as("body %s", body).isEqualTo(400);
    }
    assertThat(post(trusting, "/mutate/services", "{}").statusCode()).isEqualTo(404);
    HttpResponse<String> after =
        post(
            trusting,
            AdmissionRouter.MUTATE_PODS,
            Files.readString(Path.of("src/main/resources/warmup/pod-create-review.json")));
    assertThat(after.statusCode()).as("still serving").isEqualTo(200);
  }

  @Test
  void aClientThatDoesNotTrustTheCaCannotTalkToIt() {
    HttpClient stranger = HttpClient.newHttpClient();
    Assertions.assertThatThrownBy(() -> post(stranger, AdmissionRouter.MUTATE_PODS, "{}"))
        .isInstanceOf(SSLHandshakeException.class);
  }

  private HttpResponse<String> post(HttpClient http, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Trusts exactly the CA the webhook keeps in its Secret, as the API server does through caBundle.
   */
  private SSLContext trustingCa() throws Exception {
    Secret secret =
        client.secrets().inNamespace("tollgate-system").withName("tollgate-webhook-tls").get();
    String caPem =
        new String(
            Base64.getDecoder().decode(secret.getData().get("ca.crt")), StandardCharsets.UTF_8);
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    int i = 0;
    for (X509Certificate ca : Pem.decodeCertificates(caPem)) {
      trust.setCertificateEntry("ca-" + i++, ca);
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  @SuppressWarnings("unchecked")
  private static ClusterState clusterFromFixture() throws Exception {
    List<Object> objects =
        (List<Object>)
            (Object)
                Serialization.unmarshal(
                    Files.readString(Path.of("src/main/resources/warmup/cluster.yaml")));
    return new ClusterState() {
      @Override
      public List<AgentIdentity> identities(String namespace) {
        return objects.stream()
            .filter(AgentIdentity.class::isInstance)
            .map(AgentIdentity.class::cast)
            .filter(i -> namespace.equals(i.getMetadata().getNamespace()))
            .toList();
      }

      @Override
      public Optional<ToolScope> scope(String namespace, String name) {
        return objects.stream()
            .filter(ToolScope.class::isInstance)
            .map(ToolScope.class::cast)
            .filter(s -> name.equals(s.getMetadata().getName()))
            .findFirst();
      }
    };
  }
}
