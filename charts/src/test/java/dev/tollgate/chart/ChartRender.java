package dev.tollgate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code helm template} of charts/tollgate as release {@value ChartTest#RELEASE} in {@value
 * ChartTest#NAMESPACE} with extra arguments ({@code --set ...}, {@code -f ...}), and what the tests
 * read from the result.
 */
final class ChartRender {

  private final Helm helm;

  ChartRender(Helm helm) {
    this.helm = helm;
  }

  Rendered template(String... extra) throws Exception {
    return Rendered.parse(helm.runOk(args("template", extra)));
  }

  /** Helm's error output of a {@code helm template} that must fail. */
  String templateFailure(String... extra) throws Exception {
    Helm.Result result = helm.run(args("template", extra));
    assertThat(result.exitCode()).as("helm template %s should fail", List.of(extra)).isNotZero();
    return result.stderr();
  }

  /** Helm's output of a {@code helm lint --strict} that must fail. */
  String lintFailure(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("lint", "--strict"));
    args.add(helm.chart().toString());
    args.addAll(List.of("--namespace", ChartTest.NAMESPACE));
    args.addAll(List.of(extra));
    Helm.Result result = helm.run(args.toArray(String[]::new));
    assertThat(result.exitCode()).as("helm lint %s should fail", List.of(extra)).isNotZero();
    return result.stdout() + result.stderr();
  }

  private String[] args(String command, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                command,
                ChartTest.RELEASE,
                helm.chart().toString(),
                "--namespace",
                ChartTest.NAMESPACE));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  static Deployment deployment(Rendered rendered, String name) {
    return rendered.one(Deployment.class, name);
  }

  static Container container(Rendered rendered, String deployment) {
    return deployment(rendered, deployment)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  static Map<String, String> env(Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : container.getEnv()) {
      env.put(
          var.getName(),
          var.getValue() != null ? var.getValue() : "<from " + var.getValueFrom() + ">");
    }
    return env;
  }
}
