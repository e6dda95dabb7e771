package dev.tollgate.webhook.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.webhook.injection.AuditExportInjection;
import dev.tollgate.webhook.injection.IdentityReceivers;
import io.fabric8.kubernetes.api.model.GroupVersionKindBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequestBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A bad policy is refused at apply time with the messages {@code tollgate validate} prints. */
class PolicyValidationControllerTest {

  private final PolicyValidationController controller =
      new PolicyValidationController(AuditExportInjection.NONE);

  static AdmissionRequest request(String operation, String yaml) {
    HasMetadata object = Serialization.unmarshal(yaml);
    return new AdmissionRequestBuilder()
        .withUid("uid-1")
        .withOperation(operation)
        .withNamespace(object.getMetadata().getNamespace())
        .withKind(
            new GroupVersionKindBuilder()
                .withGroup("tollgate.dev")
                .withVersion("v1alpha1")
                .withKind(object.getKind())
                .build())
        .withObject(object)
        .build();
  }

  @Test
  void refusesInvalidCelWithTheCliMessage() {
    AdmissionResponse response =
        controller.admit(
            request(
                "CREATE",
                """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: shell, namespace: agents}
        spec:
          agents: {names: [repo-coder]}
          rules:
            - {name: ok, tools: [Bash], effect: Allow}
            - {name: no-rm, tools: [Bash], effect: Deny, when: "resource.program =="}
        """));
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getUid()).isEqualTo("uid-1");
    assertThat(response.getStatus().getCode()).isEqualTo(400);
    assertThat(response.getStatus().getMessage())
        .startsWith("ToolPolicy/agents/shell: spec.rules[1].when: invalid CEL: line 1, column 20");
  }

  @Test
  void refusesEveryProblemOfAnUpdateOneLineEach() {
    AdmissionResponse response =
        controller.admit(
            request(
                "UPDATE",
                """
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: repo-coder, namespace: agents}
        spec:
          serviceAccountName: repo-coder
          toolScopes: [{}]
          delegation: {allowedPrincipals: [alice]}
        """));
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getMessage().lines())
        .containsExactlyInAnyOrder(
            "AgentIdentity/agents/repo-coder: spec.toolScopes[0].name: is required",
            "AgentIdentity/agents/repo-coder: spec.delegation.allowedPrincipals[0]: 'alice' must be user:NAME or group:NAME");
  }

  @Test
  void allowsValidObjectsAndDoesNotRequireTheirReferencesToExistYet() {
    AdmissionResponse response =
        controller.admit(
            request(
                "CREATE",
                """
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: repo-coder, namespace: agents}
        spec: {serviceAccountName: repo-coder, toolScopes: [{name: applied-later}]}
        """));
    assertThat(response.getAllowed()).isTrue();
  }

  @Test
  void refusesABadGitRemoteAndAdmitsAGoodOne() {
    String scope =
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: repos, namespace: agents}
        spec:
          gitRemotes:
            - {name: shop, url: "%s", credentialsSecretRef: {name: gh, key: token}}
        """;
    AdmissionResponse bad =
        controller.admit(
            request("CREATE", scope.formatted("https://bot:secret@github.com/acme/shop.git")));
    assertThat(bad.getAllowed()).isFalse();
    assertThat(bad.getStatus().getMessage())
        .isEqualTo(
            "ToolScope/agents/repos: spec.gitRemotes[0].url: must be https://HOST/PATH without user,"
                + " query or fragment, got 'https://bot:secret@github.com/acme/shop.git'");

    // A scope of remotes alone is valid: the field survives the webhook's typed model.
    AdmissionResponse good =
        controller.admit(request("CREATE", scope.formatted("https://github.com/acme/shop.git")));
    assertThat(good.getAllowed()).as(String.valueOf(good.getStatus())).isTrue();
  }

  @Test
  void leavesOtherKindsAndDeletesAlone() {
    AdmissionResponse configMap =
        controller.admit(
            request(
                "CREATE",
                """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: x, namespace: agents}
        """));
    assertThat(configMap.getAllowed()).isTrue();
  }

  private static final String IDENTITY_WITH_EXPORT =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: repo-coder, namespace: agents}
      spec:
        serviceAccountName: repo-coder
        toolScopes: [{name: code}]
        auditExport: {endpoint: "%s"}
      """;

  @Test
  void refusesAnIdentityExportToAReceiverTheClusterDoesNotListAtApply() {
    AdmissionResponse refused =
        controller.admit(
            request("CREATE", IDENTITY_WITH_EXPORT.formatted("http://elsewhere.example:8080/")));
    assertThat(refused.getAllowed()).isFalse();
    assertThat(refused.getStatus().getCode()).isEqualTo(400);
    assertThat(refused.getStatus().getMessage())
        .isEqualTo(
            "AgentIdentity agents/repo-coder has an invalid spec.auditExport:"
                + " spec.auditExport.endpoint http://elsewhere.example:8080/ is not a receiver the"
                + " cluster lets identities choose (--audit-export-identity-origins: none)");

    PolicyValidationController listing =
        new PolicyValidationController(
            new AuditExportInjection(
                Optional.empty(),
                "",
                "",
                new IdentityReceivers(List.of(URI.create("http://team-logs.agents:8080")))));
    assertThat(
            listing
                .admit(
                    request(
                        "UPDATE", IDENTITY_WITH_EXPORT.formatted("http://team-logs.agents:8080/a")))
                .getAllowed())
        .isTrue();
    assertThat(
            listing
                .admit(
                    request(
                        "UPDATE",
                        IDENTITY_WITH_EXPORT.formatted(
                            "http://team-logs.agents.evil.example:8080/")))
                .getAllowed())
        .isFalse();
  }
}
