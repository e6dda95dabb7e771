package dev.tollgate.sidecar.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.delegation.DelegationProof;
import dev.tollgate.api.delegation.PublicKeyRing;
import dev.tollgate.sidecar.core.PodContext;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A decision point refuses to start for a principal the webhook did not prove. */
class PrincipalProofTest {

  private static final String IDENTITY = "agents/repo-coder";
  private static final String KEYS = "tollgate-system/tollgate-delegation-keys";

  private final KeyPair pair = generate();
  private final String published = new PublicKeyRing(Map.of("k1", pair.getPublic())).encode();

  private static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** What the webhook writes into the sidecar's environment at admission. */
  private String proofFor(String namespace, String identityName, String user, List<String> groups)
      throws Exception {
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(pair.getPrivate());
    signer.update(
        DelegationProof.statement(namespace, "AgentIdentity", identityName, user, groups));
    return new DelegationProof("k1", signer.sign()).text();
  }

  private static PodContext pod(String principal, List<String> groups) {
    return new PodContext("coder-1", "agents", principal, groups, "/home/agent");
  }

  private Optional<String> check(PodContext pod, String proof, boolean inCluster) {
    return PrincipalProof.problem(
        pod,
        IDENTITY,
        new DelegationSettings(proof, proof.isEmpty() ? "" : KEYS),
        inCluster,
        configMap -> configMap.equals(KEYS) ? Optional.of(published) : Optional.empty());
  }

  @Test
  void theProvenPrincipalStarts() throws Exception {
    String proof = proofFor("agents", "repo-coder", "alice", List.of("developers"));
    assertThat(check(pod("alice", List.of("developers")), proof, true)).isEmpty();
  }

  @Test
  void anotherPrincipalOrMoreGroupsOrAnotherIdentitysProofIsRefused() throws Exception {
    String alices = proofFor("agents", "repo-coder", "alice", List.of("developers"));
    assertThat(check(pod("bob", List.of("developers")), alices, true))
        .get()
        .asString()
        .startsWith("principal bob [developers] is not what the webhook proved");
    assertThat(check(pod("alice", List.of("developers", "platform-approvers")), alices, true))
        .isPresent();
    String otherIdentity = proofFor("agents", "reviewer", "alice", List.of("developers"));
    assertThat(check(pod("alice", List.of("developers")), otherIdentity, true)).isPresent();
    String otherNamespace = proofFor("prod", "repo-coder", "alice", List.of("developers"));
    assertThat(check(pod("alice", List.of("developers")), otherNamespace, true)).isPresent();
  }

  @Test
  void inAPodAPrincipalWithoutProofIsRefusedAndWithoutKeysItCannotBeVerified() throws Exception {
    assertThat(check(pod("alice", List.of()), "", true))
        .get()
        .asString()
        .contains("has no TOLLGATE_DELEGATION_PROOF");
    assertThat(check(pod("alice", List.of()), "", false))
        .as("a local run trusts its own flags")
        .isEmpty();
    assertThat(check(pod("", List.of()), "", true)).as("acting for nobody").isEmpty();
    String proof = proofFor("agents", "repo-coder", "alice", List.of());
    assertThat(
            PrincipalProof.problem(
                pod("alice", List.of()),
                IDENTITY,
                new DelegationSettings(proof, KEYS),
                true,
                configMap -> {
                  throw new IllegalStateException("configmaps is forbidden");
                }))
        .get()
        .asString()
        .contains("reading the webhook's keys failed: configmaps is forbidden");
  }
}
