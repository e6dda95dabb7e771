package dev.tollgate.webhook.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.api.v1alpha1.ToolScope;
import dev.tollgate.webhook.injection.ClusterState;
import io.fabric8.kubernetes.api.model.GroupVersionKindBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequestBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApprovalGuardControllerTest {

  private static final String APPROVAL =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolCallApproval
      metadata: {name: repo-coder-push-1a2b, namespace: agents}
      spec:
        identity: repo-coder
        pod: repo-coder-7f9c
        tool: Bash
        argsDigest: 2c29a8326969480173c60a2f1083c6dbf5b73aa28539723243a204c8793dc5e9
        summary: "git push origin feature/login"
        requestedBy: alice
        approvers: ["group:release-managers", "user:carol"]
        expiresAt: "2026-11-23T10:05:00Z"
      """;
  private static final ClusterState CLUSTER =
      new ClusterState() {
        @Override
        public List<AgentIdentity> identities(String namespace) {
          return List.of(
              Serialization.unmarshal(
                  """
          apiVersion: tollgate.dev/v1alpha1
          kind: AgentIdentity
          metadata: {name: repo-coder, namespace: agents}
          spec: {serviceAccountName: repo-coder}
          """,
                  AgentIdentity.class));
        }

        @Override
        public Optional<ToolScope> scope(String namespace, String name) {
          return Optional.empty();
        }
      };

  private final ApprovalGuardController guard =
      new ApprovalGuardController(
          CLUSTER, Clock.fixed(Instant.parse("2026-11-23T10:01:00Z"), ZoneOffset.UTC));

  private static AdmissionRequest update(
      String oldYaml, String newYaml, String user, String... groups) {
    return new AdmissionRequestBuilder()
        .withUid("uid-9")
        .withOperation("UPDATE")
        .withNamespace("agents")
        .withKind(
            new GroupVersionKindBuilder()
                .withGroup("tollgate.dev")
                .withVersion("v1alpha1")
                .withKind("ToolCallApproval")
                .build())
        .withOldObject(Serialization.unmarshal(oldYaml, ToolCallApproval.class))
        .withObject(Serialization.unmarshal(newYaml, ToolCallApproval.class))
        .withUserInfo(new UserInfoBuilder().withUsername(user).withGroups(groups).build())
        .build();
  }

  private static String decided(String decision, String extra) {
    return APPROVAL + "  decision: " + decision + "\n" + extra;
  }

  @Test
  void anApproverByGroupDecidesAndDecidedByIsStampedFromTheRequest() throws Exception {
    AdmissionResponse response =
        guard.admit(
            update(
                APPROVAL,
                decided("Approved", "  decidedBy: someone-else\n"),
                "dave",
                "release-managers",
                "system:authenticated"));
    assertThat(response.getAllowed()).isTrue();
    JsonNode patch =
        new ObjectMapper()
            .readTree(
                new String(
                    Base64.getDecoder().decode(response.getPatch()), StandardCharsets.UTF_8));
    assertThat(patch.toString())
        .isEqualTo("[{\"op\":\"replace\",\"path\":\"/spec/decidedBy\",\"value\":\"dave\"}]");
  }

  @Test
  void anApproverByNameMayReject() {
    assertThat(guard.admit(update(APPROVAL, decided("Rejected", ""), "carol")).getAllowed())
        .isTrue();
  }

  @Test
  void someoneWhoIsNotAnApproverIsRefused() {
    AdmissionResponse response =
        guard.admit(update(APPROVAL, decided("Approved", ""), "mallory", "developers"));
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getMessage())
        .isEqualTo(
            "mallory is not an approver of ToolCallApproval agents/repo-coder-push-1a2b (approvers: group:release-managers, user:carol)");
  }

  @Test
  void theAgentsOwnServiceAccountIsRefusedEvenIfListed() {
    String listed =
        APPROVAL.replace("\"user:carol\"", "\"user:system:serviceaccount:agents:repo-coder\"");
    AdmissionResponse response =
        guard.admit(
            update(
                listed,
                listed + "  decision: Approved\n",
                "system:serviceaccount:agents:repo-coder",
                "system:serviceaccounts"));
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getMessage()).contains("the agent's own service account");
  }

  @Test
  void aDecisionCannotChangeAndDecidedByCannotBeSetAlone() {
    String approved = decided("Approved", "  decidedBy: carol\n");
    AdmissionResponse flip =
        guard.admit(update(approved, decided("Rejected", "  decidedBy: carol\n"), "carol"));
    assertThat(flip.getAllowed()).isFalse();
    assertThat(flip.getStatus().getMessage())
        .contains("was already decided (Approved by carol); a decision cannot change");
    assertThat(guard.admit(update(approved, approved, "carol")).getAllowed())
        .as("a no-op update")
        .isTrue();
    AdmissionResponse forged =
        guard.admit(update(APPROVAL, APPROVAL + "  decidedBy: carol\n", "mallory"));
    assertThat(forged.getAllowed()).isFalse();
  }

  @Test
  void anExpiredApprovalCannotBeDecided() {
    String expired = APPROVAL.replace("2026-11-23T10:05:00Z", "2026-11-23T10:00:00Z");
    AdmissionResponse response =
        guard.admit(update(expired, expired + "  decision: Approved\n", "carol"));
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getMessage()).contains("expired at 2026-11-23T10:00:00Z");
  }

  @Test
  void nobodyCreatesAnApprovalAlreadyDecided() {
    AdmissionRequest create =
        new AdmissionRequestBuilder()
            .withUid("uid-c")
            .withOperation("CREATE")
            .withNamespace("agents")
            .withKind(
                new GroupVersionKindBuilder()
                    .withGroup("tollgate.dev")
                    .withVersion("v1alpha1")
                    .withKind("ToolCallApproval")
                    .build())
            .withObject(Serialization.unmarshal(decided("Approved", ""), ToolCallApproval.class))
            .withUserInfo(
                new UserInfoBuilder()
                    .withUsername("system:serviceaccount:agents:repo-coder")
                    .build())
            .build();
    assertThat(guard.admit(create).getAllowed()).isFalse();
    AdmissionRequest undecided =
        new AdmissionRequestBuilder(create)
            .withObject(Serialization.unmarshal(APPROVAL, ToolCallApproval.class))
            .build();
    assertThat(guard.admit(undecided).getAllowed()).isTrue();
  }

  @Test
  void theMarkOfAUsedApprovalCannotBeRemovedOrChanged() {
    String used =
        decided("Approved", "  decidedBy: carol\n")
            .replace(
                "namespace: agents}",
                "namespace: agents, annotations: {tollgate.dev/consumed-by: toolu_1}}");
    String unmarked = decided("Approved", "  decidedBy: carol\n");
    String remarked = used.replace("toolu_1", "toolu_2");
    for (String after : List.of(unmarked, remarked)) {
      AdmissionResponse response =
          guard.admit(update(used, after, "system:serviceaccount:agents:repo-coder"));
      assertThat(response.getAllowed()).isFalse();
      assertThat(response.getStatus().getMessage())
          .contains("was used by call toolu_1", "cannot be removed or changed");
    }
    assertThat(
            guard
                .admit(update(unmarked, used, "system:serviceaccount:agents:repo-coder"))
                .getAllowed())
        .as("the sidecar marks it used")
        .isTrue();
  }
}
