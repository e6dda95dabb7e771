package dev.tollgate.e2e;

import static dev.tollgate.e2e.TollgateCluster.AGENTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.api.v1alpha1.ToolCallApprovalSpec;
import dev.tollgate.e2e.ControlPlane.User;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl tollgate} for scripts, against the real API server as alice (an approver with get,
 * list and watch on approvals): {@code -o json|yaml|name} of the list and of one approval, and
 * {@code approvals -w} printing an approval created after it started.
 */
@ExtendWith(TollgateClusterExtension.class)
class ApprovalCliIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static KubernetesClient admin;
  private static KubectlTollgate plugin;
  private static Path alice;

  @BeforeAll
  static void aliceMayReadAndWatchApprovals(TollgateCluster cluster) {
    admin = cluster.admin();
    Examples.apply(cluster);
    Manifests.applyYaml(
        admin,
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: e2e-approval-cli-readers, namespace: %1$s}
        rules:
          - apiGroups: [tollgate.dev]
            resources: [toolcallapprovals]
            verbs: [get, list, watch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: e2e-approval-cli-readers, namespace: %1$s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: e2e-approval-cli-readers}
        subjects:
          - {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}
        """
            .formatted(AGENTS));
    plugin = new KubectlTollgate(cluster, dir);
    alice = cluster.controlPlane().kubeconfig(User.ALICE);
  }

  /** Other classes list the namespace's approvals too. */
  @AfterAll
  static void deleteTheApprovals() {
    for (String name : List.of("cli-output-1", "cli-watch-2")) {
      admin.resources(ToolCallApproval.class).inNamespace(AGENTS).withName(name).delete();
    }
  }

  @Test
  void machineReadableListAndOne() throws Exception {
    create("cli-output-1", "git push origin main");

    KubectlTollgate.Result json = plugin.run(alice, "approvals", "-o", "json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode list = JSON.readTree(json.stdout());
    assertThat(list.get("kind").asText()).isEqualTo("List");
    JsonNode item = item(list, "cli-output-1");
    assertThat(item.get("kind").asText()).isEqualTo("ToolCallApproval");
    assertThat(item.get("metadata").get("uid").asText()).as("the server's object").isNotEmpty();
    assertThat(item.get("spec").get("summary").asText()).isEqualTo("git push origin main");

    KubectlTollgate.Result yaml = plugin.run(alice, "approvals", "-o", "yaml");
    assertThat(yaml.exitCode()).as(yaml.toString()).isZero();
    assertThat(
            item(new YAMLMapper().readTree(yaml.stdout()), "cli-output-1")
                .get("spec")
                .get("tool")
                .asText())
        .isEqualTo("Bash");

    KubectlTollgate.Result names = plugin.run(alice, "approvals", "-o", "name");
    assertThat(names.stdout().lines()).contains("toolcallapproval.tollgate.dev/cli-output-1");

    KubectlTollgate.Result one = plugin.run(alice, "show", "cli-output-1", "-o", "json");
    assertThat(one.exitCode()).as(one.toString()).isZero();
    assertThat(JSON.readTree(one.stdout()).get("metadata").get("name").asText())
        .isEqualTo("cli-output-1");

    KubectlTollgate.Result wrong = plugin.run(alice, "approvals", "-o", "wide");
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.stderr()).contains("'wide' is not one of json, yaml, name");
  }

  @Test
  void thePluginsHelpListsOnlyWhatItAccepts() {
    KubectlTollgate.Result help = plugin.run(alice, "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.stdout())
        .startsWith("Usage: kubectl tollgate ")
        .contains("  approvals", "  show", "  approve", "  reject")
        .doesNotContain("  validate", "  bundle", "  eval", "  survey", "  test ");
    KubectlTollgate.Result offline = plugin.run(alice, "validate", "examples/");
    assertThat(offline.exitCode()).isEqualTo(2);
    assertThat(offline.stderr()).startsWith("kubectl tollgate: Unmatched arguments");
  }

  @Test
  void watchPrintsANewPendingApproval() {
    try (KubectlTollgate.Running table = plugin.start(alice, "approvals", "-w");
        KubectlTollgate.Running events = plugin.start(alice, "approvals", "-w", "-o", "json")) {
      Awaitility.await("the watches list first")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  table.printed().startsWith("NAME")
                      && events.process().isAlive()
                      && table.process().isAlive());
      create("cli-watch-2", "git push origin release");

      Awaitility.await("the watch prints the new approval")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  table.printed().lines().anyMatch(l -> l.startsWith("cli-watch-2 "))
                      && events.printed().contains("\"cli-watch-2\""));
      assertThat(table.printed().lines().filter(l -> l.startsWith("cli-watch-2 ")).findFirst())
          .hasValueSatisfying(row -> assertThat(row).contains("Pending", "Bash", "alice"));
      List<JsonNode> added = new ArrayList<>();
      for (String line : events.printed().lines().toList()) {
        JsonNode event = json(line);
        if (event.get("object").get("metadata").get("name").asText().equals("cli-watch-2")) {
          added.add(event);
        }
      }
      assertThat(added).isNotEmpty();
      assertThat(added.get(0).get("type").asText()).isEqualTo("ADDED");
      assertThat(table.process().isAlive()).as(table.errors()).isTrue();
    }
  }

  @Test
  void aWatchTheServerRefusesEndsWithItsReasonInsteadOfHanging() throws Exception {
    Manifests.applyYaml(
        admin,
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: approval-lister, namespace: %1$s}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: e2e-approval-listers, namespace: %1$s}
        rules:
          - apiGroups: [tollgate.dev]
            resources: [toolcallapprovals]
            verbs: [get, list]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: e2e-approval-listers, namespace: %1$s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: e2e-approval-listers}
        subjects:
          - {kind: ServiceAccount, name: approval-lister, namespace: %1$s}
        """
            .formatted(AGENTS));
    Path lister = kubeconfigWithToken("approval-lister");

    KubectlTollgate.Result list = plugin.run(lister, "approvals", "-o", "name");
    assertThat(list.exitCode()).as(list.toString()).isZero();

    KubectlTollgate.Result watch = plugin.run(lister, "approvals", "-w");
    assertThat(watch.exitCode()).as(watch.toString()).isEqualTo(1);
    assertThat(watch.stderr())
        .startsWith(
            "tollgate: the API server refused to list or watch ToolCallApprovals (HTTP 403): "
                + "--watch needs the list and watch verbs on toolcallapprovals.tollgate.dev; the "
                + "server said: ")
        .contains("watch=true")
        .hasLineCount(1);
  }

  /** Alice's kubeconfig with a service account's token instead of her certificate. */
  private static Path kubeconfigWithToken(String serviceAccount) throws Exception {
    String token =
        admin
            .serviceAccounts()
            .inNamespace(AGENTS)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    YAMLMapper yaml = new YAMLMapper();
    ObjectNode config = (ObjectNode) yaml.readTree(alice.toFile());
    ObjectNode user = (ObjectNode) config.get("users").get(0);
    user.putObject("user").put("token", token);
    Path file = dir.resolve(serviceAccount + ".kubeconfig");
    yaml.writeValue(file.toFile(), config);
    return file;
  }

  private static JsonNode item(JsonNode list, String name) {
    for (JsonNode item : list.get("items")) {
      if (item.get("metadata").get("name").asText().equals(name)) {
        return item;
      }
    }
    throw new AssertionError("no " + name + " in " + list);
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not one JSON event a line: " + line, e);
    }
  }

  private static void create(String name, String summary) {
    ToolCallApproval approval = new ToolCallApproval();
    approval.getMetadata().setName(name);
    approval.getMetadata().setNamespace(AGENTS);
    ToolCallApprovalSpec spec = new ToolCallApprovalSpec();
    spec.setIdentity("repo-coder");
    spec.setPod("repo-coder-1");
    spec.setTool("Bash");
    spec.setArgsDigest("c".repeat(64));
    spec.setSummary(summary);
    spec.setRequestedBy("alice");
    spec.setApprovers(List.of("group:platform-approvers"));
    spec.setExpiresAt(
        OffsetDateTime.now(ZoneOffset.UTC)
            .plusMinutes(10)
            .truncatedTo(ChronoUnit.SECONDS)
            .toString());
    approval.setSpec(spec);
    admin.resource(approval).create();
  }
}
