package dev.tollgate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.testsupport.monitoring.PromqlCheck;
import dev.tollgate.testsupport.monitoring.PromqlCheck.AlertCase;
import dev.tollgate.testsupport.monitoring.PromqlCheck.AlertRule;
import dev.tollgate.testsupport.monitoring.PromqlCheck.Firing;
import dev.tollgate.testsupport.monitoring.PromqlCheck.Series;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The alerts fire when they should and only then: the chart's PrometheusRule, rendered with its
 * default thresholds, evaluated by Prometheus's own engine over the series of {@code
 * monitoring/alert-cases.yaml} (a quiet cluster, a denial spike per identity, a burst that does not
 * last, an approval waiting too long, a webhook too slow…). A label an alert groups by that the
 * series lack, a threshold on the wrong side, or a {@code for} that a one-off blip satisfies shows
 * up here as an alert that fires when it should not or never does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertRulesTest {

  /** A case of the YAML file: its series, and what fires at each time. */
  record ExpectedCase(
      String name, String interval, List<Series> series, Map<String, List<Firing>> expect) {}

  private final Helm helm = new Helm(Helm.repoRoot());
  private List<AlertRule> rules;
  private List<ExpectedCase> cases;
  private Map<String, Map<String, List<Firing>>> fired;

  @BeforeAll
  void evaluate() throws Exception {
    Rendered rendered =
        Rendered.parse(
            helm.runOk(
                "template",
                ChartTest.RELEASE,
                helm.chart().toString(),
                "--namespace",
                ChartTest.NAMESPACE,
                "--set",
                "monitoring.prometheusRule.enabled=true"));
    rules = new ArrayList<>();
    for (JsonNode group : rendered.generic("PrometheusRule").get(0).at("/spec/groups")) {
      for (JsonNode rule : group.path("rules")) {
        rules.add(
            new AlertRule(
                rule.path("alert").asText(),
                rule.path("expr").asText(),
                rule.path("for").asText("")));
      }
    }
    cases = readCases();
    fired =
        new PromqlCheck(Helm.repoRoot())
            .alerts(
                rules,
                cases.stream()
                    .map(
                        c ->
                            new AlertCase(
                                c.name(),
                                c.interval(),
                                c.series(),
                                List.copyOf(c.expect().keySet())))
                    .toList());
  }

  private static List<ExpectedCase> readCases() throws IOException {
    try (InputStream in =
        AlertRulesTest.class.getResourceAsStream("/monitoring/alert-cases.yaml")) {
      assertThat(in).as("monitoring/alert-cases.yaml").isNotNull();
      return new YAMLMapper().readValue(in, new TypeReference<List<ExpectedCase>>() {});
    }
  }

  @TestFactory
  Stream<DynamicTest> eachCaseFiresExactlyWhatItExpects() {
    return cases.stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.name(),
                    () -> {
                      Map<String, Set<Firing>> expected = new LinkedHashMap<>();
                      Map<String, Set<Firing>> actual = new LinkedHashMap<>();
                      c.expect()
                          .forEach(
                              (at, alerts) -> {
                                expected.put(at, new HashSet<>(alerts));
                                actual.put(at, new HashSet<>(fired.get(c.name()).get(at)));
                              });
                      assertThat(actual).as(c.name()).isEqualTo(expected);
                    }));
  }

  @Test
  void everyAlertIsShownToFireAndEveryCaseNamesOnlyRealAlerts() {
    Set<String> names = new HashSet<>();
    rules.forEach(rule -> names.add(rule.alert()));
    Set<String> expectedToFire = new HashSet<>();
    cases.forEach(
        c -> c.expect().values().forEach(list -> list.forEach(f -> expectedToFire.add(f.alert()))));
    assertThat(names).hasSizeGreaterThanOrEqualTo(11);
    assertThat(expectedToFire).as("alerts some case makes fire").isEqualTo(names);
  }

  @Test
  void theEvaluatorHoldsAnAlertForItsDuration() throws Exception {
    // The check is worth something only if "for" is honoured and a gap resets it.
    AlertRule rule = new AlertRule("Up", "up == 1", "3m");
    AlertCase steady =
        new AlertCase(
            "steady", "1m", List.of(new Series("up{job=\"a\"}", "1x10")), List.of("2m", "3m"));
    // Returned again at 4m after a gap at 3m: pending anew, firing at 7m (the 6m sample is still
    // seen at 7m, within the engine's five-minute lookback).
    AlertCase gap =
        new AlertCase(
            "gap",
            "1m",
            List.of(new Series("up{job=\"a\"}", "1 1 1 0 1 1 1")),
            List.of("6m", "7m"));
    Map<String, Map<String, List<Firing>>> result =
        new PromqlCheck(Helm.repoRoot()).alerts(List.of(rule), List.of(steady, gap));
    Firing up = new Firing("Up", Map.of("__name__", "up", "job", "a"));
    assertThat(result.get("steady"))
        .containsEntry("2m", List.of())
        .containsEntry("3m", List.of(up));
    assertThat(result.get("gap")).containsEntry("6m", List.of()).containsEntry("7m", List.of(up));
  }
}
