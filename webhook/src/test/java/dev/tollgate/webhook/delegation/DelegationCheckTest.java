package dev.tollgate.webhook.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.delegation.DelegationProof;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who may claim whom, and every way a proof should fail when copied, edited or rotated away. */
class DelegationCheckTest {

  private static final String NS = "agents";
  private static final String RS_CONTROLLER =
      "system:serviceaccount:kube-system:replicaset-controller";
  private static final String JOB_CONTROLLER = "system:serviceaccount:kube-system:job-controller";

  private static UserInfo user(String name, String... groups) {
    UserInfo info = new UserInfo();
    info.setUsername(name);
    info.setGroups(List.of(groups));
    return info;
  }

  private static Map<String, String> claim(String user, String groups) {
    Map<String, String> annotations = new HashMap<>();
    annotations.put("tollgate.dev/on-behalf-of", user);
    if (groups != null) {
      annotations.put("tollgate.dev/on-behalf-of-groups", groups);
    }
    return annotations;
  }

  private static Map<String, String> withProof(
      Map<String, String> annotations, String kind, String name, String user, String... groups) {
    annotations.put(
        DelegationProof.ANNOTATION,
        TestDelegation.check().stamp(NS, kind, name, new Principal(user, List.of(groups))).text());
    return annotations;
  }

  private static DelegationResult pod(
      DelegationCheck check, Map<String, String> annotations, Owner owner, UserInfo requester) {
    return check.forPod(
        NS,
        annotations,
        Map.of("pod-template-hash", "5d4f"),
        Optional.ofNullable(owner),
        requester);
  }

  @Test
  void theRequesterActsForThemselvesWithTheGroupsTheyAuthenticatedWith() {
    DelegationResult result =
        pod(
            TestDelegation.check(),
            Map.of(),
            null,
            user("alice", "developers", "system:authenticated"));
    assertThat(result.principal()).contains(new Principal("alice", List.of("developers")));
  }

  @Test
  void claimingYourselfWithGroupsYouDoNotHoldIsRefused() {
    DelegationResult result =
        pod(
            TestDelegation.check(),
            claim("alice", "developers,platform-approvers"),
            null,
            user("alice", "developers"));
    assertThat(result.accepted()).isFalse();
    assertThat(result.refusal())
        .contains("alice is not in group platform-approvers and may not impersonate it");

    assertThat(
            pod(
                    TestDelegation.check(),
                    claim("alice", "developers"),
                    null,
                    user("alice", "developers", "platform-approvers"))
                .principal())
        .as("a subset of one's own groups is fine")
        .contains(new Principal("alice", List.of("developers")));
  }

  @Test
  void claimingSomeoneElseNeedsImpersonationOfTheUserAndEachGroup() {
    Map<String, String> annotations = claim("alice", "developers");
    assertThat(pod(TestDelegation.check(), annotations, null, user("mallory")).refusal())
        .startsWith("mallory may not impersonate user alice");
    assertThat(pod(TestDelegation.check("ci users/alice"), annotations, null, user("ci")).refusal())
        .contains("ci may not impersonate group developers");
    assertThat(
            pod(
                    TestDelegation.check("ci users/alice", "ci groups/developers"),
                    annotations,
                    null,
                    user("ci"))
                .principal())
        .contains(new Principal("alice", List.of("developers")));
    assertThat(
            pod(TestDelegation.check("ci users/alice"), claim("user:alice", null), null, user("ci"))
                .principal())
        .as("an impersonator who names no groups claims none")
        .contains(new Principal("alice", List.of()));
  }

  @Test
  void aControllersPodCarriesItsOwnersProof() {
    DelegationCheck check = TestDelegation.check();
    Map<String, String> stamped =
        withProof(claim("alice", "developers"), "ReplicaSet", "web-5d4f", "alice", "developers");
    assertThat(
            pod(check, stamped, new Owner("ReplicaSet", "web-5d4f"), user(RS_CONTROLLER))
                .accepted())
        .isTrue();

    Map<String, String> fromDeployment =
        withProof(claim("alice", "developers"), "Deployment", "web", "alice", "developers");
    assertThat(
            pod(check, fromDeployment, new Owner("ReplicaSet", "web-5d4f"), user(RS_CONTROLLER))
                .accepted())
        .as("Deployment web → ReplicaSet web-<pod-template-hash>")
        .isTrue();

    Map<String, String> fromCronJob = withProof(claim("alice", ""), "CronJob", "nightly", "alice");
    assertThat(
            pod(check, fromCronJob, new Owner("Job", "nightly-29012345"), user(JOB_CONTROLLER))
                .accepted())
        .as("CronJob nightly → Job nightly-<minutes>")
        .isTrue();
  }

  @Test
  void aProofCopiedToAnotherWorkloadOrEditedFails() {
    DelegationCheck check = TestDelegation.check();
    Map<String, String> alices = withProof(claim("alice", ""), "Job", "alice-job", "alice");
    assertThat(pod(check, alices, new Owner("Job", "mallory-job"), user(JOB_CONTROLLER)).refusal())
        .contains("does not prove user alice");

    Map<String, String> otherUser = new HashMap<>(alices);
    otherUser.put("tollgate.dev/on-behalf-of", "bob");
    assertThat(
            pod(check, otherUser, new Owner("Job", "alice-job"), user(JOB_CONTROLLER)).accepted())
        .isFalse();

    Map<String, String> moreGroups = new HashMap<>(alices);
    moreGroups.put("tollgate.dev/on-behalf-of-groups", "platform-approvers");
    assertThat(
            pod(check, moreGroups, new Owner("Job", "alice-job"), user(JOB_CONTROLLER)).accepted())
        .as("groups are part of what is signed")
        .isFalse();

    Map<String, String> otherNamespace = withProof(claim("alice", ""), "Job", "alice-job", "alice");
    assertThat(
            check
                .forPod(
                    "elsewhere",
                    otherNamespace,
                    Map.of(),
                    Optional.of(new Owner("Job", "alice-job")),
                    user(JOB_CONTROLLER))
                .accepted())
        .isFalse();

    Map<String, String> hashMismatch = withProof(claim("alice", ""), "Deployment", "web", "alice");
    assertThat(
            pod(check, hashMismatch, new Owner("ReplicaSet", "web-evil-5d4f"), user(RS_CONTROLLER))
                .accepted())
        .as("ReplicaSet web-evil-5d4f is not Deployment web's")
        .isFalse();

    Map<String, String> tampered = new HashMap<>(alices);
    String proof = tampered.get(DelegationProof.ANNOTATION);
    tampered.put(
        DelegationProof.ANNOTATION,
        proof.substring(0, proof.length() - 2) + (proof.endsWith("AA") ? "BA" : "AA"));
    assertThat(pod(check, tampered, new Owner("Job", "alice-job"), user(JOB_CONTROLLER)).accepted())
        .isFalse();
  }

  @Test
  void onlyTheControllerOfTheOwnersKindMayCarryAProof() {
    DelegationCheck check = TestDelegation.check();
    Map<String, String> alices = withProof(claim("alice", ""), "Job", "alice-job", "alice");
    assertThat(pod(check, alices, new Owner("Job", "alice-job"), user("mallory")).refusal())
        .as("an owner reference written by hand proves nothing")
        .startsWith("mallory may not impersonate user alice");
    assertThat(pod(check, alices, new Owner("Job", "alice-job"), user(RS_CONTROLLER)).accepted())
        .as("the ReplicaSet controller does not create a Job's pods")
        .isFalse();
    assertThat(
            pod(
                    check,
                    alices,
                    new Owner("Job", "alice-job"),
                    user(BuiltInControllers.CONTROLLER_MANAGER))
                .accepted())
        .as("controllers sharing the manager's credentials")
        .isTrue();
  }

  @Test
  void rotationKeepsOldProofsValidUntilTheKeyIsRetired() {
    Map<String, String> stampedWithK1 = withProof(claim("alice", ""), "Job", "j", "alice");
    SigningKeyRing rotated = TestDelegation.ring("k2");
    DelegationCheck afterRotation = new DelegationCheck(TestDelegation.grants(), () -> rotated);
    assertThat(
            pod(afterRotation, stampedWithK1, new Owner("Job", "j"), user(JOB_CONTROLLER))
                .accepted())
        .isTrue();
    assertThat(afterRotation.stamp(NS, "Job", "j", new Principal("alice", List.of())).keyId())
        .isEqualTo("k2");

    SigningKeyRing retired = SigningKeyRing.generate("k3");
    DelegationCheck afterRetirement = new DelegationCheck(TestDelegation.grants(), () -> retired);
    assertThat(
            pod(afterRetirement, stampedWithK1, new Owner("Job", "j"), user(JOB_CONTROLLER))
                .refusal())
        .contains("its key (k1) is no longer in the webhook's key ring");
  }

  @Test
  void controllersAndServiceAccountsThatNameNobodyActForNobody() {
    assertThat(pod(TestDelegation.check(), Map.of(), null, user(RS_CONTROLLER)).principal())
        .contains(Principal.NOBODY);
    assertThat(pod(TestDelegation.check(), claim("alice", null), null, null).refusal())
        .contains("an unauthenticated request may not act on behalf of user alice");
  }
}
