package dev.tollgate.webhook.injection;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EphemeralContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodUpdateGuardTest {

  private final PodUpdateGuard guard = new PodUpdateGuard(65_100);

  private static Pod agentPod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("coder-1")
        .withAnnotations(
            Map.of(
                "tollgate.dev/injected", "true",
                "tollgate.dev/on-behalf-of", "alice",
                "tollgate.dev/on-behalf-of-groups", "developers"))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("agent")
        .endContainer()
        .endSpec()
        .build();
  }

  private AdmissionResponse update(Pod old, Pod changed) {
    AdmissionRequest request = new AdmissionRequest();
    request.setUid("u");
    request.setOperation("UPDATE");
    request.setNamespace("agents");
    request.setObject(changed);
    request.setOldObject(old);
    return guard.admit(request);
  }

  @Test
  void tollgatesAnnotationsCannotBeChangedAddedOrRemoved() {
    Pod old = agentPod();
    Pod forged = Serialization.clone(old);
    forged.getMetadata().getAnnotations().put("tollgate.dev/on-behalf-of", "mallory");
    AdmissionResponse response = update(old, forged);
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getMessage())
        .startsWith(
            "annotations tollgate.dev/on-behalf-of of agent pod agents/coder-1 cannot change");

    Pod removed = Serialization.clone(old);
    removed.getMetadata().getAnnotations().remove("tollgate.dev/on-behalf-of-groups");
    assertThat(update(old, removed).getAllowed()).isFalse();

    Pod added = Serialization.clone(old);
    added.getMetadata().getAnnotations().put("tollgate.dev/delegation-proof", "v1.k1.x");
    assertThat(update(old, added).getAllowed()).isFalse();

    Pod labelled = Serialization.clone(old);
    labelled.getMetadata().getAnnotations().put("team.example/owner", "payments");
    assertThat(update(old, labelled).getAllowed()).as("other annotations are the user's").isTrue();
  }

  @Test
  void podsTollgateDidNotInjectAreNotGuarded() {
    Pod plain = agentPod();
    plain.getMetadata().setAnnotations(Map.of());
    Pod changed = Serialization.clone(plain);
    changed.getMetadata().setAnnotations(Map.of("tollgate.dev/on-behalf-of", "x"));
    assertThat(update(plain, changed).getAllowed()).isTrue();
  }

  @Test
  void debugContainersStayAwayFromTheDecisionPoint() {
    Pod old = agentPod();
    assertThat(
            refusalFor(
                old,
                debug()
                    .addNewVolumeMount()
                    .withName("tollgate-mcp-github")
                    .withMountPath("/x")
                    .endVolumeMount()))
        .contains("mounts volume tollgate-mcp-github");
    assertThat(
            refusalFor(
                old,
                debug()
                    .addNewVolumeMount()
                    .withName("tollgate-token")
                    .withMountPath("/x")
                    .endVolumeMount()))
        .contains("mounts volume tollgate-token");
    assertThat(
            refusalFor(
                old,
                debug()
                    .addNewVolumeMount()
                    .withName("tollgate-bin")
                    .withMountPath("/x")
                    .endVolumeMount()))
        .as("the hook client, writable, would let a debug container replace it")
        .contains("mounts volume tollgate-bin");
    for (String git : List.of("tollgate-git-mirror", "tollgate-git-cred-shop")) {
      assertThat(
              refusalFor(
                  old,
                  debug()
                      .addNewVolumeMount()
                      .withName(git)
                      .withMountPath("/x")
                      .withReadOnly(true)
                      .endVolumeMount()))
          .as("the git gateway's mirrors and credentials, even read-only")
          .contains("mounts volume " + git + ", which belongs to the decision point");
    }
    assertThat(refusalFor(old, debug().withTargetContainerName("tollgate-sidecar")))
        .contains("targets tollgate-sidecar");
    assertThat(
            refusalFor(
                old, debug().withNewSecurityContext().withRunAsUser(65_100L).endSecurityContext()))
        .contains("runs as user or group 65100");
    assertThat(refusalFor(old, debug().withTargetContainerName("agent"))).isEmpty();
  }

  @Test
  void debugContainersCannotUndoTheEgressRules() {
    Pod old = agentPod();
    assertThat(
            refusalFor(
                old, debug().withNewSecurityContext().withPrivileged(true).endSecurityContext()))
        .contains("ephemeral container debugger is privileged");
    for (String capability : List.of("NET_ADMIN", "NET_RAW", "CAP_NET_ADMIN", "SYS_ADMIN", "ALL")) {
      assertThat(
              refusalFor(
                  old,
                  debug()
                      .withNewSecurityContext()
                      .withNewCapabilities()
                      .withAdd(capability)
                      .endCapabilities()
                      .endSecurityContext()))
          .as(capability)
          .contains("adds " + capability);
    }
    assertThat(
            refusalFor(
                old,
                debug()
                    .withNewSecurityContext()
                    .withNewCapabilities()
                    .withAdd("SYS_PTRACE")
                    .endCapabilities()
                    .endSecurityContext()))
        .isEmpty();
  }

  private static EphemeralContainerBuilder debug() {
    return new EphemeralContainerBuilder().withName("debugger").withImage("busybox");
  }

  private String refusalFor(Pod old, EphemeralContainerBuilder container) {
    Pod debugged = Serialization.clone(old);
    debugged.getSpec().setEphemeralContainers(List.of(container.build()));
    AdmissionResponse response = update(old, debugged);
    return response.getAllowed() ? "" : response.getStatus().getMessage();
  }
}
