package dev.tollgate.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.webhook.delegation.Principal;
import dev.tollgate.webhook.injection.InjectionSettings;
import dev.tollgate.webhook.injection.SidecarInjection;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * bin/quickstart runs the injected sidecar outside a kubelet, resolving its environment itself.
 * This keeps that resolution in step with what the webhook injects, without a control plane: a new
 * kind of env source in the injection fails here, not in a newcomer's first run.
 */
class QuickstartSessionTest {

  private static final KubernetesSerialization KUBE = new KubernetesSerialization();

  @Test
  void everyEnvOfTheInjectedSidecarResolvesFromThePod() throws Exception {
    JsonNode pod = injectedPod();

    Map<String, String> env =
        QuickstartSession.resolveEnv(
            pod, QuickstartSession.container(pod, SidecarInjection.SIDECAR));

    assertThat(env)
        .containsEntry("TOLLGATE_POD_NAME", "repo-coder")
        .containsEntry("TOLLGATE_POD_NAMESPACE", "agents")
        .containsEntry("TOLLGATE_POD_UID", "0b7c6a4e-uid")
        .containsEntry("TOLLGATE_PRINCIPAL", "mallory")
        .containsEntry("TOLLGATE_GROUPS", "developers")
        .containsKey("JAVA_TOOL_OPTIONS");
  }

  @Test
  void theInstallerCarriesTheManagedSettingsTheSessionRewires() throws Exception {
    JsonNode installer = QuickstartSession.container(injectedPod(), SidecarInjection.INSTALLER);

    assertThat(installer.path("env").findValuesAsText("name"))
        .contains("TOLLGATE_MANAGED_SETTINGS");
    assertThat(installer.toString()).contains("/opt/tollgate/bin/tollgate-hook");
  }

  private static JsonNode injectedPod() throws Exception {
    AgentIdentity identity =
        KUBE.unmarshal(
            """
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: repo-coder, namespace: agents}
        spec:
          selector: {matchLabels: {app.kubernetes.io/name: repo-coder}}
          serviceAccountName: repo-coder
          toolScopes: [{name: claude-code-builtins}]
        """,
            AgentIdentity.class);
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("repo-coder")
            .withNamespace("agents")
            .withUid("0b7c6a4e-uid")
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName("repo-coder")
            .addNewContainer()
            .withName("agent")
            .withImage("agent")
            .endContainer()
            .endSpec()
            .build();
    InjectionSettings settings =
        new InjectionSettings(
            "registry.example/tollgate-sidecar:test",
            "IfNotPresent",
            List.of(
                "java",
                "-cp",
                "/app/tollgate-sidecar.jar",
                "dev.tollgate.sidecar.install.HookInstaller"),
            List.of("-Xmx64m"),
            "50m",
            "96Mi",
            "500m",
            "160Mi",
            true,
            "/root",
            65_100,
            "tollgate-system/tollgate-delegation-keys");
    Pod injected =
        new SidecarInjection(settings)
            .inject(
                pod,
                identity,
                List.of(),
                List.of(),
                List.of(),
                new Principal("mallory", List.of("developers")),
                "",
                "tollgate-e2e-admin");
    return new ObjectMapper().readTree(KUBE.asJson(injected));
  }
}
