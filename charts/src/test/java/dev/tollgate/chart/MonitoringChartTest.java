package dev.tollgate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testsupport.monitoring.MonitoringExpressions;
import dev.tollgate.testsupport.monitoring.PromqlCheck;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the on-call engineer gets from {@code monitoring.*}: the sidecars' PodMonitor, the alerts
 * and the Grafana dashboard. Every PromQL expression is parsed by Prometheus's own parser ({@code
 * bin/tools/promql-check}); the e2e module's MonitoringMetricsIT checks that the metrics they name
 * are the ones the running services export.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitoringChartTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Helm helm = new Helm(Helm.repoRoot());
  private final PromqlCheck promql = new PromqlCheck(Helm.repoRoot());
  private Rendered rendered;

  @BeforeAll
  void render() throws Exception {
    rendered =
        Rendered.parse(
            helm.runOk(
                "template",
                ChartTest.RELEASE,
                helm.chart().toString(),
                "--namespace",
                ChartTest.NAMESPACE,
                "-f",
                helm.chart().resolve("ci/service-monitor-values.yaml").toString()));
  }

  @Test
  void nothingIsRenderedUnlessAskedFor() throws Exception {
    Rendered defaults =
        Rendered.parse(
            helm.runOk("template", ChartTest.RELEASE, helm.chart().toString(), "--namespace", "x"));
    assertThat(defaults.generic("PodMonitor")).isEmpty();
    assertThat(defaults.generic("PrometheusRule")).isEmpty();
    assertThat(defaults.all(ConfigMap.class))
        .noneSatisfy(c -> assertThat(c.getMetadata().getName()).endsWith("-dashboard"));
  }

  @Test
  void thePodMonitorScrapesOnlyDecisionPointsAndLabelsThemByIdentity() {
    JsonNode monitor = rendered.generic("PodMonitor").get(0);
    assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
    assertThat(monitor.at("/spec/namespaceSelector/any").asBoolean()).isTrue();
    JsonNode endpoint = monitor.at("/spec/podMetricsEndpoints/0");
    // The injected sidecar's port name: only pods that have it become targets.
    assertThat(endpoint.path("port").asText()).isEqualTo("tollgate-ops");
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    assertThat(endpoint.path("relabelings").findValuesAsText("targetLabel"))
        .contains("identity", "namespace", "pod");
    assertThat(endpoint.path("relabelings").get(0).path("sourceLabels").get(0).asText())
        .isEqualTo("__meta_kubernetes_pod_annotation_tollgate_dev_identity");
  }

  @Test
  void everyAlertTheIssueNamesIsThereWithASeverityAndASummary() {
    Map<String, JsonNode> alerts = alerts();
    assertThat(alerts)
        .containsKeys(
            "TollgateDenialSpike",
            "TollgateAuditBackpressure",
            "TollgateAuditExportFailures",
            "TollgateSidecarWithoutBundle",
            "TollgateWebhookErrors",
            "TollgateWebhookSlow",
            "TollgateApprovalWaiting",
            "TollgateOperatorReconcileErrors");
    alerts.forEach(
        (name, alert) -> {
          assertThat(alert.at("/labels/severity").asText()).as(name).isIn("critical", "warning");
          assertThat(alert.at("/annotations/summary").asText()).as(name).isNotBlank();
          assertThat(alert.at("/annotations/description").asText()).as(name).isNotBlank();
        });
    // The values reach the expressions.
    assertThat(alerts.get("TollgateDenialSpike").path("expr").asText()).endsWith("> 5");
    assertThat(alerts.get("TollgateApprovalWaiting").path("expr").asText()).endsWith("> 900");
  }

  @Test
  void theDashboardIsAConfigMapGrafanaDiscoversWithValidJson() throws Exception {
    ConfigMap dashboard = rendered.one(ConfigMap.class, "tollgate-dashboard");
    assertThat(dashboard.getMetadata().getNamespace()).isEqualTo("monitoring");
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    JsonNode json = JSON.readTree(dashboard.getData().get("tollgate.json"));
    assertThat(json.path("uid").asText()).isEqualTo("tollgate-overview");
    List<String> titles = json.path("panels").findValuesAsText("title");
    assertThat(titles)
        .contains(
            "Denials by identity and tool",
            "Top denied rules",
            "Calls held for a human",
            "Sidecars ready",
            "Webhook latency");
  }

  @Test
  void everyExpressionParsesWithPrometheusOwnParser() throws Exception {
    Map<String, String> expressions = MonitoringExpressions.of(rendered.yaml());
    assertThat(expressions).hasSizeGreaterThan(30);
    PromqlCheck.Report report = promql.check(expressions);
    assertThat(report.errors()).isEmpty();
    // Every selector names its metric exactly, so the names can be checked against the services.
    assertThat(report.metrics().values()).allSatisfy(names -> assertThat(names).doesNotContain(""));
    assertThat(report.metricNames())
        .contains(
            "tollgate_decisions_total",
            "tollgate_approvals_oldest_wait_seconds",
            "tollgate_admission_requests_seconds_bucket",
            "operator_sdk_reconciliations_failed_total");
  }

  @Test
  void theCheckerRefusesWhatPrometheusWouldRefuse() throws Exception {
    // The check is worth something only if a broken expression fails it.
    PromqlCheck.Report report =
        promql.check(
            Map.of(
                "unclosed", "sum(rate(tollgate_decisions_total[5m])",
                "unknown function", "rated(tollgate_decisions_total[5m])",
                "matcher without a value", "tollgate_decisions_total{decision=}",
                "fine", "rate(tollgate_decisions_total[5m])"));
    assertThat(report.errors())
        .containsOnlyKeys("unclosed", "unknown function", "matcher without a value");
    assertThat(report.metrics()).containsOnlyKeys("fine");
  }

  @Test
  void theCheckerNamesTheLabelsAnExpressionNeedsFromEachMetric() throws Exception {
    // What MonitoringMetricsIT compares with the labels the services export.
    PromqlCheck.Report report =
        promql.check(
            Map.of(
                "grouped",
                "histogram_quantile(0.99, sum by (le, webhook) "
                    + "(rate(tollgate_admission_requests_seconds_bucket{outcome=~\"error\"}[5m])))",
                "joined",
                "max by (namespace, pod) (tollgate_bundle_loaded) * on (pod) group_left"
                    + " kube_pod_info",
                "without",
                "sum without (instance) (tollgate_decisions_total{decision=\"deny\"})",
                "relabelled",
                "label_replace(tollgate_decisions_total, \"who\", \"$1\", \"identity\", \"(.*)\")"));
    assertThat(report.labels().get("grouped"))
        .containsExactly(
            Map.entry(
                "tollgate_admission_requests_seconds_bucket", List.of("le", "outcome", "webhook")));
    assertThat(report.labels().get("joined"))
        .containsEntry("tollgate_bundle_loaded", List.of("namespace", "pod"))
        .containsEntry("kube_pod_info", List.of("pod"));
    // "without" keeps every other label: it needs none of its own.
    assertThat(report.labels().get("without"))
        .containsExactly(Map.entry("tollgate_decisions_total", List.of("decision")));
    // Labels written by label_replace are not the metric's own: not checked.
    assertThat(report.labels().get("relabelled")).isEmpty();
  }

  private Map<String, JsonNode> alerts() {
    Map<String, JsonNode> alerts = new LinkedHashMap<>();
    List<JsonNode> rules = new ArrayList<>();
    rendered
        .generic("PrometheusRule")
        .get(0)
        .at("/spec/groups")
        .forEach(group -> group.path("rules").forEach(rules::add));
    rules.forEach(rule -> alerts.put(rule.path("alert").asText(), rule));
    return alerts;
  }
}
