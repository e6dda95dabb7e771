package dev.tollgate.clustertests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testsupport.tools.Command;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gemini CLI's wiring in a real pod: Gemini CLI reads its system settings only when the file and
 * every directory above it belong to root and no one else may write them, and otherwise runs every
 * tool unhooked. The webhook projects the file from a pod annotation with a downward-API volume;
 * this checks, in a container the kubelet and containerd made, what Gemini CLI would check.
 */
@ExtendWith(NodeClusterExtension.class)
class GeminiCliInPodIT {

  private static final String NAMESPACE = "gemini-lab";
  private static final String NAME = "gemini-coder";
  private static final String SETTINGS = "/etc/gemini-cli/settings.json";

  private static AgentDeployment agent;

  @BeforeAll
  static void deploy(NodeCluster cluster, AgentDeployment repoCoder) {
    cluster
        .kubectlIn(
            """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: %1$s
              labels: {tollgate.dev/injection: enabled}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: %2$s, namespace: %1$s}
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: AgentIdentity
            metadata: {name: %2$s, namespace: %1$s}
            spec:
              selector: {matchLabels: {app.kubernetes.io/name: %2$s}}
              serviceAccountName: %2$s
              toolScopes: [{name: lab}]
              mode: Enforce
              runtime: GeminiCli
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: ToolScope
            metadata: {name: lab, namespace: %1$s}
            spec:
              tools: [Bash, Read]
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: ToolPolicy
            metadata: {name: lab, namespace: %1$s}
            spec:
              agents: {names: [%2$s]}
              rules:
                - {name: reads, tools: [Read], effect: Allow}
            """
                .formatted(NAMESPACE, NAME),
            "apply",
            "-f",
            "-")
        .expectOk();
    cluster.awaitIdentityReady(NAMESPACE, NAME);
    cluster
        .kubectlIn(
            AgentDeployment.deployment(NAME, NAMESPACE, repoCoder.image()), "apply", "-f", "-")
        .expectOk();
    agent = repoCoder.sibling(NAMESPACE, NAME);
    agent.awaitReady();
  }

  @Test
  void theSettingsFileAndEveryDirectoryAboveItBelongToRootAndOnlyRootMayWriteThem() {
    List<String> paths = new ArrayList<>(List.of(SETTINGS, "/etc/gemini-cli", "/etc", "/"));
    for (String path : paths) {
      // Owner uid and octal mode, following the downward API's symlinks as Gemini CLI's stat does.
      String[] stat = agent.exec("stat", "-L", "-c", "%u %a", path).expectOk().strip().split(" ");
      assertThat(stat[0]).as("owner of %s", path).isEqualTo("0");
      int mode = Integer.parseInt(stat[1], 8);
      assertThat(mode & 0022).as("group/other write bits of %s (mode %s)", path, stat[1]).isZero();
    }
    assertThat(agent.exec("stat", "-L", "-c", "%a", SETTINGS).expectOk().strip()).isEqualTo("444");
  }

  @Test
  void theFileHoldsTheHookAndTheAgentCannotChangeIt() throws Exception {
    JsonNode settings = NodeCluster.JSON.readTree(agent.exec("cat", SETTINGS).expectOk());
    assertThat(settings.at("/hooks/BeforeTool").toString()).contains("tollgate-hook gemini-cli");
    assertThat(settings.at("/hooksConfig/enabled").asBoolean()).isTrue();
    assertThat(settings.at("/security/folderTrust/enabled").asBoolean(true)).isFalse();
    assertThat(agent.exec("printenv", "GEMINI_CLI_SYSTEM_SETTINGS_PATH").expectOk().strip())
        .isEqualTo(SETTINGS);

    Command.Result write = agent.exec("/bin/bash", "-c", "echo '{}' > " + SETTINGS);
    assertThat(write.exitCode()).as(write.describe()).isNotZero();
    Command.Result remove = agent.exec("rm", "-f", SETTINGS);
    assertThat(remove.exitCode()).as(remove.describe()).isNotZero();
    assertThat(agent.exec("cat", SETTINGS).expectOk()).contains("tollgate-hook gemini-cli");
  }
}
