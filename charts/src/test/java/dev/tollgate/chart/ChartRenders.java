package dev.tollgate.chart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Renders the chart with every values file of charts/tollgate/ci/ into one directory, one {@code
 * <values-file>.yaml} each, so the same manifests the tests check can be applied to a real API
 * server (`kubectl apply --dry-run=server -f DIR/default-values.yaml`). charts/pom.xml runs it in
 * every test run, into charts/target/rendered/; bin/tools/render-chart does the same from a shell.
 */
final class ChartRenders {

  private ChartRenders() {}

  /** Values file name (without .yaml) → rendered manifests, also written to {@code dir}. */
  static Map<String, String> renderAll(Helm helm, String release, String namespace, Path dir)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Map<String, String> rendered = new TreeMap<>();
    List<Path> valuesFiles;
    try (Stream<Path> files = Files.list(helm.chart().resolve("ci"))) {
      valuesFiles =
          files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path values : valuesFiles) {
      String name = values.getFileName().toString().replaceFirst("\\.yaml$", "");
      String yaml =
          helm.runOk(
              "template",
              release,
              helm.chart().toString(),
              "--namespace",
              namespace,
              "-f",
              values.toString());
      Files.writeString(dir.resolve(name + ".yaml"), yaml, StandardCharsets.UTF_8);
      rendered.put(name, yaml);
    }
    return rendered;
  }
}
