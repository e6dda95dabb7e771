package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.e2e.ControlPlane.User;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart as {@code bin/tools/render-chart} renders it for each values file of
 * charts/tollgate/ci/, applied with {@code kubectl apply --dry-run=server} against the real API
 * server: every object passes the server's schema validation, defaulting and admission, without
 * being stored. cert-manager and the Prometheus Operator are not installed here, so minimal CRDs
 * (any spec accepted) stand in for Issuer, Certificate, ServiceMonitor, PodMonitor and
 * PrometheusRule: those objects are checked for kind, scope and metadata, not for their spec.
 */
@ExtendWith(TollgateClusterExtension.class)
class ChartDryRunIT {

  private static final String RELEASE_NAMESPACE = "tollgate-system";
  private static final List<String> STAND_IN_CRDS =
      List.of(
          "issuers.cert-manager.io",
          "certificates.cert-manager.io",
          "servicemonitors.monitoring.coreos.com",
          "podmonitors.monitoring.coreos.com",
          "prometheusrules.monitoring.coreos.com");

  @TempDir static Path dir;

  private static TollgateCluster cluster;
  private static KubernetesClient admin;
  private static Path kubectl;
  private static Path rendered;

  @BeforeAll
  static void renderTheChartAndPrepareTheCluster(TollgateCluster shared) {
    cluster = shared;
    admin = cluster.admin();
    Path repo = cluster.repoRoot();
    rendered = dir.resolve("rendered");
    Result render =
        run(
            List.of(
                repo.resolve("bin/tools/render-chart").toString(),
                rendered.toString(),
                "tollgate",
                RELEASE_NAMESPACE),
            Duration.ofMinutes(5));
    assertThat(render.exitCode()).as("bin/tools/render-chart:\n" + render.output()).isZero();
    Result binDir =
        run(
            List.of(repo.resolve("bin/control-plane").toString(), "bin-dir"),
            Duration.ofSeconds(30));
    kubectl = Path.of(binDir.stdout().strip()).resolve("kubectl");
    assertThat(kubectl).isExecutable();

    // The namespaces the values files name (the release's exists: the webhook fixture made it).
    Manifests.applyYaml(
        admin,
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: team-a}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: monitoring}
        """);
    for (String crd : STAND_IN_CRDS) {
      String[] parts = crd.split("\\.", 2);
      String plural = parts[0];
      String kind =
          switch (plural) {
            case "issuers" -> "Issuer";
            case "certificates" -> "Certificate";
            case "podmonitors" -> "PodMonitor";
            case "prometheusrules" -> "PrometheusRule";
            default -> "ServiceMonitor";
          };
      Manifests.applyYaml(
          admin,
          """
          apiVersion: apiextensions.k8s.io/v1
          kind: CustomResourceDefinition
          metadata: {name: %1$s}
          spec:
            group: %2$s
            scope: Namespaced
            names: {plural: %3$s, singular: %4$s, kind: %5$s, listKind: %5$sList}
            versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
          """
              .formatted(crd, parts[1], plural, kind.toLowerCase(Locale.ROOT), kind));
      Awaitility.await("CRD " + crd + " established")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  Conditions.isTrue(
                      admin.apiextensions().v1().customResourceDefinitions().withName(crd).get(),
                      "Established"));
    }
  }

  @AfterAll
  static void removeTheStandInCrds() {
    if (admin != null) {
      STAND_IN_CRDS.forEach(
          crd -> admin.apiextensions().v1().customResourceDefinitions().withName(crd).delete());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "default-values.yaml",
        "watch-namespaces-values.yaml",
        "cert-manager-values.yaml",
        "service-monitor-values.yaml",
        "network-policy-values.yaml"
      })
  void everyRenderedObjectPassesAServerSideDryRun(String valuesFile) {
    Path manifest = rendered.resolve(valuesFile);
    List<GenericKubernetesResource> objects = Manifests.read(manifest);
    assertThat(objects).as("objects rendered for " + valuesFile).isNotEmpty();

    Result apply =
        run(
            List.of(
                kubectl.toString(),
                "--kubeconfig",
                cluster.controlPlane().kubeconfig(User.ADMIN).toString(),
                "--cache-dir",
                dir.resolve("kube-cache").toString(),
                "apply",
                "--dry-run=server",
                "-f",
                manifest.toString()),
            Duration.ofMinutes(1));

    if (apply.exitCode() != 0) {
      throw new AssertionError(
          "kubectl apply --dry-run=server -f "
              + valuesFile
              + " failed (exit "
              + apply.exitCode()
              + "):\n"
              + apply.stderr()
              + "\n--- stdout ---\n"
              + apply.stdout());
    }
    List<String> dryRun =
        apply.stdout().lines().filter(l -> l.endsWith("(server dry run)")).toList();
    assertThat(dryRun)
        .as("one '(server dry run)' line per object:\n" + apply.stdout())
        .hasSize(objects.size());
    for (GenericKubernetesResource object : objects) {
      String name = object.getMetadata().getName();
      assertThat(dryRun)
          .as(object.getKind() + " " + name)
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith(object.getKind().toLowerCase(Locale.ROOT))
                      .contains("/" + name + " "));
    }
    if (valuesFile.startsWith("cert-manager") || valuesFile.startsWith("watch-namespaces")) {
      assertThat(objects).extracting(GenericKubernetesResource::getKind).contains("Certificate");
    }
    if (valuesFile.startsWith("service-monitor")) {
      assertThat(objects)
          .extracting(GenericKubernetesResource::getKind)
          .contains("ServiceMonitor", "PodMonitor", "PrometheusRule");
    }
  }

  record Result(int exitCode, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }
  }

  private static Result run(List<String> command, Duration timeout) {
    try {
      Files.createDirectories(dir);
      Path out = Files.createTempFile(dir, "out", ".txt");
      Path err = Files.createTempFile(dir, "err", ".txt");
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        SidecarProcess.stop(process);
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
