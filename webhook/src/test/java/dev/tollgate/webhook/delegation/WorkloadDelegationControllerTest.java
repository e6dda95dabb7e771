package dev.tollgate.webhook.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.delegation.DelegationProof;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadDelegationControllerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final WorkloadDelegationController controller =
      new WorkloadDelegationController(TestDelegation.check(), Set.of("kube-system"));

  private static Deployment deployment(String claimed, String image) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("coder")
        .withNamespace("agents")
        .endMetadata()
        .withNewSpec()
        .withNewTemplate()
        .withNewMetadata()
        .withAnnotations(Map.of("tollgate.dev/on-behalf-of", claimed))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("agent")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static AdmissionRequest request(
      String operation,
      String kind,
      KubernetesResource object,
      KubernetesResource old,
      String user) {
    AdmissionRequest request = new AdmissionRequest();
    request.setUid("r-1");
    request.setOperation(operation);
    request.setNamespace("agents");
    request.setKind(new GroupVersionKind("apps", kind, "v1"));
    request.setObject(object);
    request.setOldObject(old);
    UserInfo info = new UserInfo();
    info.setUsername(user);
    info.setGroups(List.of("developers"));
    request.setUserInfo(info);
    return request;
  }

  private static JsonNode applied(AdmissionResponse response, KubernetesResource object)
      throws Exception {
    JsonNode patch =
        JSON.readTree(
            new String(Base64.getDecoder().decode(response.getPatch()), StandardCharsets.UTF_8));
    return JsonPatch.apply(patch, Serialization.jsonMapper().valueToTree(object));
  }

  @Test
  void theClaimedUserCreatingIsStampedWithAProofBoundToTheWorkload() throws Exception {
    Deployment created = deployment("alice", "agent:1");
    AdmissionResponse response =
        controller.admit(request("CREATE", "Deployment", created, null, "alice"));
    assertThat(response.getAllowed()).isTrue();
    JsonNode annotations = applied(response, created).at("/spec/template/metadata/annotations");
    assertThat(annotations.path("tollgate.dev/on-behalf-of-groups").asText())
        .isEqualTo("developers");
    DelegationProof proof =
        DelegationProof.parse(annotations.path(DelegationProof.ANNOTATION).asText()).orElseThrow();
    assertThat(
            proof.verifies(
                DelegationProof.statement(
                    "agents", "Deployment", "coder", "alice", List.of("developers")),
                TestDelegation.ring("k1").publicKeys()))
        .isTrue();
  }

  @Test
  void someoneWhoMayNotClaimTheUserCannotCreateTheWorkload() {
    AdmissionResponse response =
        controller.admit(
            request("CREATE", "Deployment", deployment("alice", "a:1"), null, "mallory"));
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getMessage())
        .isEqualTo(
            "Deployment agents/coder: mallory may not impersonate user alice: a pod or workload "
                + "may claim tollgate.dev/on-behalf-of only for its creator, for a user its creator "
                + "may impersonate (RBAC verb impersonate on users), or from a workload that was "
                + "proven for that user");
  }

  @Test
  void aTemplateChangeBySomeoneWhoMayNotClaimStripsTheProofWithAWarning() throws Exception {
    Deployment stamped = deployment("alice", "agent:1");
    stamped
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .put(
            DelegationProof.ANNOTATION,
            TestDelegation.check()
                .stamp("agents", "Deployment", "coder", new Principal("alice", List.of()))
                .text());
    Deployment scaled = Serialization.clone(stamped);
    scaled.getSpec().setReplicas(3);
    assertThat(
            controller
                .admit(request("UPDATE", "Deployment", scaled, stamped, "mallory"))
                .getPatch())
        .as("scaling leaves the template, and the proof, alone")
        .isNull();

    Deployment swapped = Serialization.clone(stamped);
    swapped.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil:1");
    AdmissionResponse response =
        controller.admit(request("UPDATE", "Deployment", swapped, stamped, "mallory"));
    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getWarnings())
        .singleElement()
        .asString()
        .contains("mallory may not impersonate user alice")
        .contains("new pods of this workload will be refused");
    assertThat(
            applied(response, swapped)
                .at("/spec/template/metadata/annotations")
                .has(DelegationProof.ANNOTATION))
        .isFalse();
  }

  @Test
  void aCronJobsTemplateIsStampedAndControllersPassUntouched() throws Exception {
    CronJob nightly =
        new CronJobBuilder()
            .withNewMetadata()
            .withName("nightly")
            .endMetadata()
            .withNewSpec()
            .withSchedule("0 3 * * *")
            .withNewJobTemplate()
            .withNewSpec()
            .withNewTemplate()
            .withNewMetadata()
            .withAnnotations(Map.of("tollgate.dev/on-behalf-of", "alice"))
            .endMetadata()
            .endTemplate()
            .endSpec()
            .endJobTemplate()
            .endSpec()
            .build();
    AdmissionResponse response =
        controller.admit(request("CREATE", "CronJob", nightly, null, "alice"));
    assertThat(
            applied(response, nightly)
                .at("/spec/jobTemplate/spec/template/metadata/annotations")
                .has(DelegationProof.ANNOTATION))
        .isTrue();
    assertThat(
            controller
                .admit(
                    request(
                        "CREATE",
                        "ReplicaSet",
                        deployment("alice", "a:1"),
                        null,
                        "system:serviceaccount:kube-system:deployment-controller"))
                .getPatch())
        .as("a controller copies its owner's template as is")
        .isNull();
  }
}
