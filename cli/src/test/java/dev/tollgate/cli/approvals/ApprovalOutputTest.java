package dev.tollgate.cli.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.cli.CliRun;
import dev.tollgate.cli.ExitCode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code approvals} and {@code show} with {@code -o json|yaml|name}, and {@code approvals -w}. */
@EnableKubernetesMockClient(crud = true)
class ApprovalOutputTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  KubernetesClient client;

  @BeforeEach
  void twoPendingAndOneExpired() {
    ClusterAccess.useClientFactory(
        access -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build());
    Clock now = Clock.fixed(Instant.parse("2026-11-24T10:10:00Z"), ZoneOffset.UTC);
    ApprovalsCommand.clock = now;
    ShowCommand.clock = now;
    create("push-1", "Bash: git push origin main", "2026-11-24T11:00:00Z");
    create("push-2", "Bash: git push origin release", "2026-11-24T11:30:00Z");
    create("issue-3", "mcp__github__create_issue: {}", "2026-11-24T10:05:00Z");
  }

  @AfterEach
  void reset() {
    ClusterAccess.useClientFactory(null);
  }

  @Test
  void jsonIsAListOfThePendingObjects() throws Exception {
    CliRun run = CliRun.run("approvals", "-n", "agents", "-o", "json");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OK);
    JsonNode list = JSON.readTree(run.out());
    assertThat(list.get("kind").asText()).isEqualTo("List");
    assertThat(list.get("items")).hasSize(2);
    JsonNode first = list.get("items").get(0);
    assertThat(first.get("apiVersion").asText()).isEqualTo("tollgate.dev/v1alpha1");
    assertThat(first.get("kind").asText()).isEqualTo("ToolCallApproval");
    assertThat(first.get("metadata").get("name").asText()).isIn("push-1", "push-2");
    assertThat(first.get("spec").get("requestedBy").asText()).isEqualTo("user:alice");

    JsonNode all =
        JSON.readTree(CliRun.run("approvals", "-n", "agents", "--all", "-o", "json").out());
    assertThat(all.get("items")).hasSize(3);
  }

  @Test
  void anEmptyListIsStillAList() throws Exception {
    CliRun run = CliRun.run("approvals", "-n", "nobody-here", "-o", "json");

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(JSON.readTree(run.out()).get("items")).isEmpty();
  }

  @Test
  void yamlAndNameOfTheListAndOfOne() throws Exception {
    CliRun yaml = CliRun.run("approvals", "-n", "agents", "-o", "yaml");
    JsonNode list = new YAMLMapper().readTree(yaml.out());
    assertThat(list.get("items")).hasSize(2);
    assertThat(list.get("items").get(0).get("spec").get("argsDigest").asText())
        .isEqualTo("ab".repeat(32));

    CliRun names = CliRun.run("approvals", "-n", "agents", "-o", "name");
    assertThat(names.out().lines())
        .containsExactlyInAnyOrder(
            "toolcallapproval.tollgate.dev/push-1", "toolcallapproval.tollgate.dev/push-2");

    JsonNode one =
        new YAMLMapper().readTree(CliRun.run("show", "push-1", "-n", "agents", "-o", "yaml").out());
    assertThat(one.get("metadata").get("name").asText()).isEqualTo("push-1");
    assertThat(one.get("spec").get("summary").asText()).isEqualTo("Bash: git push origin main");
    JsonNode json = JSON.readTree(CliRun.run("show", "push-1", "-n", "agents", "-o", "json").out());
    assertThat(json.get("spec").get("tool").asText()).isEqualTo("Bash");
    assertThat(CliRun.run("show", "push-1", "-n", "agents", "-o", "name").out())
        .isEqualTo("toolcallapproval.tollgate.dev/push-1\n");
  }

  @Test
  void anUnknownFormatNamesTheAllowedOnes() {
    CliRun run = CliRun.run("approvals", "-n", "agents", "-o", "wide");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("'wide' is not one of json, yaml, name");
  }

  @Test
  void watchPrintsTheListThenANewPendingApprovalAndHowOneEnded() throws Exception {
    CliRun.Background watch = CliRun.background("approvals", "-n", "agents", "-w");
    try {
      await(watch, "push-1", "push-2");
      assertThat(watch.printed()).startsWith("NAME").doesNotContain("issue-3");

      create("push-4", "Bash: git push origin hotfix", "2026-11-24T11:45:00Z");
      await(watch, "push-4");
      decide("push-1");
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  watch
                      .printed()
                      .lines()
                      .anyMatch(l -> l.startsWith("push-1") && l.contains("Approved")));
      client.resources(ToolCallApproval.class).inNamespace("agents").withName("push-2").delete();
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  watch
                      .printed()
                      .lines()
                      .anyMatch(l -> l.startsWith("push-2") && l.contains("Deleted")));
    } finally {
      assertThat(watch.stop()).as(watch.errors()).isEqualTo(ExitCode.OK);
    }
    assertThat(watch.printed().lines().filter(l -> l.startsWith("NAME"))).hasSize(1);
  }

  @Test
  void watchAsJsonPrintsOneEventALine() throws Exception {
    CliRun.Background watch = CliRun.background("approvals", "-n", "agents", "-w", "-o", "json");
    try {
      await(watch, "push-1", "push-2");
      create("push-5", "Bash: git push origin main", "2026-11-24T11:45:00Z");
      await(watch, "push-5");
    } finally {
      assertThat(watch.stop()).as(watch.errors()).isEqualTo(ExitCode.OK);
    }
    List<JsonNode> events = watch.printed().lines().map(ApprovalOutputTest::json).toList();
    assertThat(events).extracting(e -> e.get("type").asText()).containsOnly("ADDED");
    assertThat(events)
        .extracting(e -> e.get("object").get("metadata").get("name").asText())
        .containsExactlyInAnyOrder("push-1", "push-2", "push-5");
  }

  @Test
  void helpShowsOnlyWhatEachCommandAccepts() {
    CliRun approvals = CliRun.run("approvals", "--help");
    assertThat(approvals.exitCode()).as(approvals.toString()).isZero();
    assertThat(approvals.out())
        .contains("-o, --output=FORMAT", "json, yaml, name", "-w, --watch", "-A");

    assertThat(approvals.out()).contains("Exit codes:", "1   The cluster refused");

    CliRun show = CliRun.run("show", "--help");
    assertThat(show.exitCode()).isZero();
    assertThat(show.out()).contains("-o, --output=FORMAT").doesNotContain("--watch", "--all");

    for (String decision : List.of("approve", "reject")) {
      CliRun help = CliRun.run(decision, "--help");
      assertThat(help.exitCode()).isZero();
      assertThat(help.out()).contains("--reason").doesNotContain("--output", "--watch", "--all");
      assertThat(CliRun.run(decision, "push-1", "-n", "agents", "-o", "json").exitCode())
          .as(decision + " has no -o")
          .isEqualTo(ExitCode.INVALID_INPUT);
    }
    assertThat(CliRun.run("show", "push-1", "-n", "agents", "-w").exitCode())
        .as("show has no -w")
        .isEqualTo(ExitCode.INVALID_INPUT);
  }

  private static void await(CliRun.Background watch, String... names) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> List.of(names).stream().allMatch(watch.printed()::contains));
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not one JSON event a line: " + line, e);
    }
  }

  private void decide(String name) {
    client
        .resources(ToolCallApproval.class)
        .inNamespace("agents")
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"decision\":\"Approved\"}}");
  }

  private void create(String name, String summary, String expiresAt) {
    client.resource(ApprovalFixtures.approval(name, "agents", "Bash", summary, expiresAt)).create();
  }
}
