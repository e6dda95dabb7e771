package dev.tollgate.testsupport.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The PromQL of a rendered chart: each PrometheusRule's rule expressions and each Grafana dashboard
 * ConfigMap's panel queries, named by where they are ({@code alert X}, {@code panel T #0}).
 * Grafana's variables are replaced by values Prometheus accepts, as Grafana does before it sends a
 * query.
 */
public final class MonitoringExpressions {

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern INTERVAL = Pattern.compile("\\$(__rate_interval|__interval)\\b");
  private static final Pattern RANGE = Pattern.compile("\\$__range\\b");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?[A-Za-z_]\\w*}?");

  private MonitoringExpressions() {}

  /** The expressions of every PrometheusRule and dashboard ConfigMap in {@code renderedYaml}. */
  public static Map<String, String> of(String renderedYaml) throws IOException {
    Map<String, String> expressions = new LinkedHashMap<>();
    try (MappingIterator<JsonNode> documents =
        YAML.readerFor(JsonNode.class).readValues(renderedYaml)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document == null || document.isNull()) {
          continue;
        }
        String kind = document.path("kind").asText();
        if (kind.equals("PrometheusRule")) {
          for (JsonNode group : document.at("/spec/groups")) {
            for (JsonNode rule : group.path("rules")) {
              String name =
                  rule.has("alert")
                      ? "alert " + rule.path("alert").asText()
                      : "record " + rule.path("record").asText();
              expressions.put(name, rule.path("expr").asText());
            }
          }
        } else if (kind.equals("ConfigMap")) {
          for (JsonNode data : document.path("data")) {
            if (data.asText().startsWith("{")) {
              dashboard(JSON.readTree(data.asText()), expressions);
            }
          }
        }
      }
    }
    return expressions;
  }

  private static void dashboard(JsonNode dashboard, Map<String, String> expressions) {
    for (JsonNode panel : dashboard.path("panels")) {
      int i = 0;
      for (JsonNode target : panel.path("targets")) {
        expressions.put(
            "panel " + panel.path("title").asText() + " #" + i++,
            substituteVariables(target.path("expr").asText()));
      }
    }
  }

  /** A dashboard query as Grafana sends it: intervals become durations, variables match all. */
  public static String substituteVariables(String query) {
    String withIntervals = INTERVAL.matcher(query).replaceAll("5m");
    String withRange = RANGE.matcher(withIntervals).replaceAll("1h");
    return VARIABLE.matcher(withRange).replaceAll(".*");
  }
}
