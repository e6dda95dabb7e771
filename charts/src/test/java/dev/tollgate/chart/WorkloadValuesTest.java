package dev.tollgate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The knobs of the operator and webhook pods and of the injected decision point: security contexts
 * from values with the hardened defaults, disruption budgets only where they can be met, and the
 * decision point's resources and per-pod caps passed to the webhook.
 */
class WorkloadValuesTest {

  private final Helm helm = new Helm(Helm.repoRoot());
  private final ChartRender render = new ChartRender(helm);

  private static PodSecurityContext podContext(Rendered rendered, String deployment) {
    return ChartRender.deployment(rendered, deployment)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getSecurityContext();
  }

  // ---- security contexts -----------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"tollgate-operator", "tollgate-webhook"})
  void theDefaultSecurityContextsAreTheHardenedOnes(String deployment) throws Exception {
    Rendered rendered = render.template();
    PodSecurityContext pod = podContext(rendered, deployment);
    assertThat(pod.getRunAsNonRoot()).isTrue();
    assertThat(pod.getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getRunAsGroup()).isEqualTo(65532L);
    assertThat(pod.getFsGroup()).isEqualTo(65532L);
    assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    SecurityContext container = ChartRender.container(rendered, deployment).getSecurityContext();
    assertThat(container.getRunAsNonRoot()).isTrue();
    assertThat(container.getRunAsUser()).isEqualTo(65532L);
    assertThat(container.getRunAsGroup()).isEqualTo(65532L);
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getPrivileged()).isFalse();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(container.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @Test
  void securityContextsComeFromValuesAndKeepTheRestOfTheHardening() throws Exception {
    Rendered rendered = render.template("-f", ci("network-policy-values"));
    PodSecurityContext pod = podContext(rendered, "tollgate-webhook");
    assertThat(pod.getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getFsGroup()).isEqualTo(10001L);
    assertThat(pod.getRunAsNonRoot()).isTrue();
    SecurityContext container =
        ChartRender.container(rendered, "tollgate-webhook").getSecurityContext();
    assertThat(container.getRunAsUser()).isEqualTo(10001L);
    assertThat(container.getSeccompProfile().getType()).isEqualTo("Localhost");
    assertThat(container.getSeccompProfile().getLocalhostProfile())
        .isEqualTo("profiles/tollgate-webhook.json");
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    // The operator is left as it was.
    assertThat(
            ChartRender.container(rendered, "tollgate-operator")
                .getSecurityContext()
                .getRunAsUser())
        .isEqualTo(65532L);
  }

  @Test
  void idsThePlatformAssignsCanBeRemoved() throws Exception {
    // OpenShift's restricted SCC assigns the user from the namespace's range.
    Rendered rendered =
        render.template(
            "--set", "operator.podSecurityContext.runAsUser=null",
            "--set", "operator.podSecurityContext.runAsGroup=null",
            "--set", "operator.podSecurityContext.fsGroup=null",
            "--set", "operator.securityContext.runAsUser=null",
            "--set", "operator.securityContext.runAsGroup=null");
    PodSecurityContext pod = podContext(rendered, "tollgate-operator");
    assertThat(pod.getRunAsUser()).isNull();
    assertThat(pod.getFsGroup()).isNull();
    assertThat(pod.getRunAsNonRoot()).isTrue();
    SecurityContext container =
        ChartRender.container(rendered, "tollgate-operator").getSecurityContext();
    assertThat(container.getRunAsUser()).isNull();
    assertThat(container.getRunAsNonRoot()).isTrue();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
  }

  // ---- disruption budgets ----------------------------------------------------------------------

  @Test
  void theOperatorGetsABudgetOnlyWithAStandbyToKeep() throws Exception {
    assertThat(render.template().all(PodDisruptionBudget.class))
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("tollgate-webhook");
    Rendered two = render.template("--set", "operator.replicas=2");
    PodDisruptionBudget budget = two.one(PodDisruptionBudget.class, "tollgate-operator");
    assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    Deployment operator = ChartRender.deployment(two, "tollgate-operator");
    Deployment webhook = ChartRender.deployment(two, "tollgate-webhook");
    Map<String, String> selector = budget.getSpec().getSelector().getMatchLabels();
    assertThat(operator.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(selector);
    assertThat(
            webhook
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels()
                .entrySet()
                .containsAll(selector.entrySet()))
        .as("the operator's budget does not cover the webhook's pods")
        .isFalse();
    assertThat(
            render
                .template(
                    "--set",
                    "operator.replicas=2",
                    "--set",
                    "operator.podDisruptionBudget.enabled=false")
                .all(PodDisruptionBudget.class))
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("tollgate-webhook");
    assertThat(
            render.templateFailure(
                "--set",
                "operator.replicas=2",
                "--set",
                "operator.podDisruptionBudget.minAvailable=2"))
        .contains("operator.podDisruptionBudget.minAvailable must be below operator.replicas");
  }

  @Test
  void oneWebhookReplicaRendersWithoutABudgetInsteadOfFailing() throws Exception {
    Rendered one = render.template("-f", ci("network-policy-values"));
    assertThat(ChartRender.deployment(one, "tollgate-webhook").getSpec().getReplicas())
        .isEqualTo(1);
    assertThat(one.all(PodDisruptionBudget.class)).isEmpty();
  }

  // ---- the decision point's resources ----------------------------------------------------------

  @Test
  void theDecisionPointsResourcesAndCapsReachTheWebhookWithItsOwnDefaults() throws Exception {
    Map<String, String> defaults =
        ChartRender.env(ChartRender.container(render.template(), "tollgate-webhook"));
    assertThat(defaults)
        .containsEntry("TOLLGATE_SIDECAR_CPU_REQUEST", "50m")
        .containsEntry("TOLLGATE_SIDECAR_MEMORY_REQUEST", "96Mi")
        .containsEntry("TOLLGATE_SIDECAR_CPU_LIMIT", "500m")
        .containsEntry("TOLLGATE_SIDECAR_MEMORY_LIMIT", "160Mi")
        .containsEntry("TOLLGATE_SIDECAR_MAX_CPU", "2")
        .containsEntry("TOLLGATE_SIDECAR_MAX_MEMORY", "1Gi");
    // The chart's defaults are the webhook's own, so an install without the chart injects the same.
    String config =
        Files.readString(
            Helm.repoRoot()
                .resolve("webhook/src/main/java/dev/tollgate/webhook/WebhookConfig.java"));
    Matcher resources =
        Pattern.compile(
                "DEFAULT_SIDECAR_RESOURCES =\\s*new SidecarResources\\(\"([^\"]+)\", \"([^\"]+)\","
                    + " \"([^\"]+)\", \"([^\"]+)\"\\)")
            .matcher(config);
    assertThat(resources.find()).as("DEFAULT_SIDECAR_RESOURCES in WebhookConfig").isTrue();
    assertThat(
            List.of(
                defaults.get("TOLLGATE_SIDECAR_CPU_REQUEST"),
                defaults.get("TOLLGATE_SIDECAR_MEMORY_REQUEST"),
                defaults.get("TOLLGATE_SIDECAR_CPU_LIMIT"),
                defaults.get("TOLLGATE_SIDECAR_MEMORY_LIMIT")))
        .containsExactly(
            resources.group(1), resources.group(2), resources.group(3), resources.group(4));
    assertThat(config)
        .contains("DEFAULT_SIDECAR_MAX_CPU = \"" + defaults.get("TOLLGATE_SIDECAR_MAX_CPU") + "\"")
        .contains(
            "DEFAULT_SIDECAR_MAX_MEMORY = \"" + defaults.get("TOLLGATE_SIDECAR_MAX_MEMORY") + "\"");

    Map<String, String> set =
        ChartRender.env(
            ChartRender.container(
                render.template("-f", ci("network-policy-values")), "tollgate-webhook"));
    assertThat(set)
        .containsEntry("TOLLGATE_SIDECAR_CPU_REQUEST", "100m")
        .containsEntry("TOLLGATE_SIDECAR_MEMORY_REQUEST", "128Mi")
        .containsEntry("TOLLGATE_SIDECAR_CPU_LIMIT", "1")
        .containsEntry("TOLLGATE_SIDECAR_MEMORY_LIMIT", "256Mi")
        .containsEntry("TOLLGATE_SIDECAR_MAX_CPU", "1500m")
        .containsEntry("TOLLGATE_SIDECAR_MAX_MEMORY", "512Mi");
    // A whole number of cores given unquoted on the command line is still a quantity.
    assertThat(
            ChartRender.env(
                ChartRender.container(
                    render.template("--set", "sidecar.resources.limits.cpu=2"),
                    "tollgate-webhook")))
        .containsEntry("TOLLGATE_SIDECAR_CPU_LIMIT", "2");
  }

  private String ci(String name) {
    return helm.chart().resolve("ci/" + name + ".yaml").toString();
  }
}
