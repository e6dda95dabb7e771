package dev.tollgate.e2e;

import static dev.tollgate.e2e.TollgateCluster.AGENTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.e2e.ControlPlane.User;
import dev.tollgate.testsupport.monitoring.MonitoringExpressions;
import dev.tollgate.testsupport.monitoring.PromqlCheck;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerts and the dashboard the chart ships name only metrics the services export: the chart is
 * rendered with its monitoring on, every expression parsed by Prometheus's own parser, and every
 * metric it names, with the labels it relies on, looked up in what the running sidecar, webhook and
 * operator jars serve on /metrics after the traffic that creates them (a denied call, an admission
 * request, a reconcile that the API server refuses).
 */
@ExtendWith(TollgateClusterExtension.class)
class MonitoringMetricsIT {

  private static final String NAMESPACE = "monitoring-e2e";
  private static final Pattern METRICS_PORT = Pattern.compile("metrics on :(\\d+)");
  private static final Pattern WEBHOOK_PORT = Pattern.compile("admission webhook on :(\\d+)");

  /**
   * Metrics that exist only after traffic a loopback cluster cannot make here (an MCP server, the
   * egress listener), and the sidecar test that makes that traffic and asserts the name.
   */
  private static final Map<String, String> TRAFFIC_ONLY =
      Map.of(
          "tollgate_mcp_upstream_requests_seconds_count",
          "sidecar/src/test/java/dev/tollgate/sidecar/gate/mcp/McpGatewayTest.java",
          "tollgate_mcp_upstream_requests_seconds_bucket",
          "sidecar/src/test/java/dev/tollgate/sidecar/gate/mcp/McpGatewayTest.java",
          "tollgate_egress_connections_total",
          "sidecar/src/test/java/dev/tollgate/sidecar/gate/egress/EgressGateTest.java");

  @TempDir static Path dir;

  private static final List<Process> PROCESSES = new ArrayList<>();
  private static SidecarProcess sidecar;

  @AfterAll
  static void stop() throws InterruptedException {
    if (sidecar != null) {
      sidecar.close();
    }
    for (Process process : PROCESSES) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /** Labels the Prometheus Operator gives every target's series, whatever its monitor says. */
  private static final Set<String> TARGET_LABELS =
      Set.of("namespace", "pod", "container", "service", "endpoint", "job", "instance");

  @Test
  void everyMetricTheAlertsAndTheDashboardNameIsExportedByAService(TollgateCluster cluster)
      throws Exception {
    String rendered = renderWithMonitoring(cluster.repoRoot());
    PromqlCheck.Report report = new PromqlCheck(cluster.repoRoot()).check(expressions(rendered));
    assertThat(report.errors()).isEmpty();
    Set<String> used = report.metricNames();

    Map<String, String> scrapes = new TreeMap<>();
    scrapes.put("sidecar", scrapeSidecar(cluster));
    scrapes.put("webhook", scrapeWebhook(cluster));
    scrapes.put("operator", scrapeOperator(cluster));
    Set<String> exported = new TreeSet<>();
    scrapes.values().forEach(scrape -> exported.addAll(sampleNames(scrape)));

    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(exported);
    missing.removeAll(TRAFFIC_ONLY.keySet());
    assertThat(missing).as("metrics the chart names that no service exported").isEmpty();
    for (Map.Entry<String, String> entry : TRAFFIC_ONLY.entrySet()) {
      String family = entry.getKey().replaceAll("_(count|bucket|sum|total)$", "");
      assertThat(Files.readString(cluster.repoRoot().resolve(entry.getValue())))
          .as("%s asserts %s", entry.getValue(), entry.getKey())
          .contains(family);
    }
    // Each service contributes: the check would pass vacuously if a scrape were empty.
    assertThat(sampleNames(scrapes.get("sidecar")))
        .contains(
            "tollgate_decisions_total", "tollgate_rule_denials_total", "jvm_memory_used_bytes");
    assertThat(sampleNames(scrapes.get("webhook")))
        .contains("tollgate_admission_requests_seconds_bucket", "process_cpu_usage");
    assertThat(sampleNames(scrapes.get("operator")))
        .contains("operator_sdk_reconciliations_failed_total", "tollgate_bundle_size_bytes_count");

    // A label a series lacks matches as empty, silently: an alert grouping by it lumps all
    // together, a matcher on it selects nothing. So each label an expression relies on must be one
    // the service exports on that metric or one Prometheus adds to its target.
    Map<String, Set<String>> labels = new TreeMap<>();
    Map<String, Set<String>> monitorLabels = relabelTargets(rendered);
    for (Map.Entry<String, String> scrape : scrapes.entrySet()) {
      Set<String> added = new TreeSet<>(TARGET_LABELS);
      added.addAll(monitorLabels.getOrDefault(scrape.getKey(), Set.of()));
      labelNames(scrape.getValue())
          .forEach(
              (metric, names) -> {
                Set<String> all = labels.computeIfAbsent(metric, m -> new TreeSet<>());
                all.addAll(added);
                all.addAll(names);
              });
    }
    assertThat(monitorLabels.get("sidecar"))
        .as("the PodMonitor's relabelings")
        .contains("identity");
    List<String> unknown = new ArrayList<>();
    int checked = 0;
    for (Map.Entry<String, Map<String, List<String>>> where : report.labels().entrySet()) {
      for (Map.Entry<String, List<String>> needed : where.getValue().entrySet()) {
        Set<String> has = labels.get(needed.getKey());
        if (has == null) {
          continue; // a TRAFFIC_ONLY metric, asserted by its own test
        }
        for (String label : needed.getValue()) {
          checked++;
          if (!has.contains(label)) {
            unknown.add(where.getKey() + ": " + needed.getKey() + " has no label " + label);
          }
        }
      }
    }
    assertThat(unknown).as("labels the chart relies on that no service exports").isEmpty();
    assertThat(checked).as("label uses checked").isGreaterThan(50);
  }

  private static String renderWithMonitoring(Path repoRoot) throws Exception {
    Process render =
        new ProcessBuilder(
                repoRoot.resolve("bin/tools/render-chart").toString(),
                dir.resolve("rendered").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("render.log").toFile())
            .start();
    assertThat(render.waitFor(20, TimeUnit.MINUTES)).isTrue();
    assertThat(render.exitValue()).as(Files.readString(dir.resolve("render.log"))).isZero();
    return Files.readString(dir.resolve("rendered/service-monitor-values.yaml"));
  }

  private static Map<String, String> expressions(String rendered) throws IOException {
    Map<String, String> expressions = MonitoringExpressions.of(rendered);
    assertThat(expressions).isNotEmpty();
    return expressions;
  }

  /**
   * The labels each monitor's relabelings write, by the service it scrapes: the PodMonitor's for
   * the sidecar, each ServiceMonitor's (named after its component) for the webhook and operator.
   */
  private static Map<String, Set<String>> relabelTargets(String rendered) throws IOException {
    Map<String, Set<String>> targets = new TreeMap<>();
    try (MappingIterator<JsonNode> documents =
        new YAMLMapper().readerFor(JsonNode.class).readValues(rendered)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document == null) {
          continue;
        }
        String kind = document.path("kind").asText();
        String name = document.at("/metadata/name").asText();
        String service;
        if (kind.equals("PodMonitor")) {
          service = "sidecar";
        } else if (kind.equals("ServiceMonitor")) {
          service = name.endsWith("-webhook") ? "webhook" : "operator";
        } else {
          continue;
        }
        Set<String> labels = targets.computeIfAbsent(service, s -> new TreeSet<>());
        document.findValues("relabelings").stream()
            .flatMap(relabelings -> relabelings.findValuesAsText("targetLabel").stream())
            .forEach(labels::add);
      }
    }
    return targets;
  }

  /** A decision point of an injected pod after an allowed and a denied call. */
  private static String scrapeSidecar(TollgateCluster cluster) throws Exception {
    Examples.apply(cluster);
    Identities.awaitReady(cluster.admin(), AGENTS, AgentPods.IDENTITY);
    Pod pod = AgentPods.create(cluster, "metrics-agent");
    Path run = Files.createDirectories(dir.resolve("sidecar-run"));
    sidecar = SidecarProcess.start(cluster, pod, run);
    HttpClient http = HttpClient.newHttpClient();
    for (Map<String, Object> input :
        List.of(
            Map.<String, Object>of("file_path", "/workspace/src/app/main.py"),
            Map.<String, Object>of("command", "git push --force origin main"))) {
      String tool = input.containsKey("command") ? "Bash" : "Read";
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(sidecar.url() + "/v1/hooks/claude-code"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          HookInputs.pre("toolu_m_" + tool, tool, input)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }
    return sidecar.getWithBody("/metrics").body();
  }

  /** The webhook jar after an admission request it refuses as malformed. */
  private static String scrapeWebhook(TollgateCluster cluster) throws Exception {
    Path log = dir.resolve("webhook.log");
    Process webhook =
        start(
            cluster,
            User.ADMIN,
            log,
            "webhook/target/tollgate-webhook.jar",
            "--port",
            "0",
            "--metrics-port",
            "0",
            "--namespace",
            InProcessWebhook.NAMESPACE,
            "--tls-secret",
            "tollgate-metrics-e2e-tls",
            "--mutating-configurations",
            "tollgate-metrics-e2e",
            "--validating-configurations",
            "tollgate-metrics-e2e",
            "--sidecar-image",
            InProcessWebhook.SIDECAR_IMAGE);
    int port = awaitPort(webhook, log, WEBHOOK_PORT);
    int metrics = awaitPort(webhook, log, METRICS_PORT);
    String refused = postOverTls(caOf(cluster, "tollgate-metrics-e2e-tls"), port, "{not json");
    assertThat(refused).startsWith("HTTP/1.1 400");
    return get("http://127.0.0.1:" + metrics + "/metrics");
  }

  /**
   * The operator jar, run as a user the namespace lets read and patch but not create: reconciling
   * an identity fails when it creates the sidecar's Role and the bundle ConfigMap.
   */
  private static String scrapeOperator(TollgateCluster cluster) throws Exception {
    Manifests.applyYaml(
        cluster.admin(),
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: %1$s}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: read-and-patch, namespace: %1$s}
        rules:
          - apiGroups: ["", tollgate.dev, rbac.authorization.k8s.io, events.k8s.io]
            resources: ["*", "*/*"]
            verbs: [get, list, watch, patch, update]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: read-and-patch, namespace: %1$s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: read-and-patch}
        subjects:
          - {apiGroup: rbac.authorization.k8s.io, kind: User, name: mallory}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: coder, namespace: %1$s}
        spec:
          selector: {matchLabels: {app.kubernetes.io/name: coder}}
          serviceAccountName: coder
          toolScopes: [{name: missing}]
        """
            .formatted(NAMESPACE));
    Path log = dir.resolve("operator.log");
    Process operator =
        start(
            cluster,
            User.MALLORY,
            log,
            "operator/target/tollgate-operator.jar",
            "--namespaces",
            NAMESPACE,
            "--pod-name",
            "metrics-e2e-operator",
            "--metrics-port",
            "0");
    int metrics = awaitPort(operator, log, METRICS_PORT);
    String[] scrape = {""};
    Awaitility.await("a refused reconcile is counted")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              scrape[0] = get("http://127.0.0.1:" + metrics + "/metrics");
              return scrape[0].contains("operator_sdk_reconciliations_failed_total");
            });
    return scrape[0];
  }

  private static Process start(
      TollgateCluster cluster, User user, Path log, String jar, String... args) throws IOException {
    Path path = cluster.repoRoot().resolve(jar);
    assertThat(path).as(jar + " (mvn -pl e2e -am verify packages it)").exists();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                path.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", cluster.controlPlane().kubeconfig(user).toString());
    Process process = builder.start();
    PROCESSES.add(process);
    return process;
  }

  private static int awaitPort(Process process, Path log, Pattern pattern) {
    int[] port = {-1};
    Awaitility.await("the process logs " + pattern)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              String text = Files.readString(log, StandardCharsets.UTF_8);
              assertThat(process.isAlive()).as("alive; log:\n" + text).isTrue();
              Matcher matcher = pattern.matcher(text);
              if (matcher.find()) {
                port[0] = Integer.parseInt(matcher.group(1));
              }
              return port[0] > 0;
            });
    return port[0];
  }

  private static String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url).isEqualTo(200);
    return response.body();
  }

  /** The names of the samples in a Prometheus text exposition. */
  private static Set<String> sampleNames(String scrape) {
    return labelNames(scrape).keySet();
  }

  /** The label names of each sample name in a Prometheus text exposition. */
  private static Map<String, Set<String>> labelNames(String scrape) {
    Map<String, Set<String>> labels = new TreeMap<>();
    scrape
        .lines()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .forEach(
            line -> {
              int brace = line.indexOf('{');
              int space = line.indexOf(' ');
              boolean labelled = brace >= 0 && (space < 0 || brace < space);
              String name = line.substring(0, labelled ? brace : space);
              Set<String> names = labels.computeIfAbsent(name, n -> new TreeSet<>());
              if (labelled) {
                names.addAll(labelNamesOf(line, brace + 1));
              }
            });
    return labels;
  }

  /** The names in {@code a="x",b="y\"z"}, from {@code start} to the closing brace. */
  private static List<String> labelNamesOf(String line, int start) {
    List<String> names = new ArrayList<>();
    int i = start;
    while (i < line.length() && line.charAt(i) != '}') {
      int equals = line.indexOf('=', i);
      names.add(line.substring(i, equals).strip());
      i = equals + 2; // past ="
      while (line.charAt(i) != '"') {
        i += line.charAt(i) == '\\' ? 2 : 1;
      }
      i++;
      if (line.charAt(i) == ',') {
        i++;
      }
    }
    return names;
  }

  /** The CA the webhook made for itself and keeps in its Secret. */
  private static X509Certificate caOf(TollgateCluster cluster, String secret) throws Exception {
    String pem =
        new String(
            Base64.getDecoder()
                .decode(
                    cluster
                        .admin()
                        .secrets()
                        .inNamespace(InProcessWebhook.NAMESPACE)
                        .withName(secret)
                        .get()
                        .getData()
                        .get("ca.crt")),
            StandardCharsets.US_ASCII);
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * POSTs {@code body} to /validate/policies over TLS trusting only the webhook's CA, and returns
   * the answer's status line. The certificate names the webhook's Service, not 127.0.0.1, so the
   * host name is not checked (the JDK client would): this is about the metrics, not the TLS.
   */
  private static String postOverTls(X509Certificate ca, int port, String body) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("webhook-ca", ca);
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /validate/policies HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
                  + bytes.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .findFirst()
          .orElse("");
    }
  }
}
