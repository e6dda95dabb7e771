package dev.tollgate.webhook.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.api.delegation.DelegationProof;
import dev.tollgate.api.delegation.PublicKeyRing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigningKeyRingTest {

  private static final byte[] STATEMENT =
      DelegationProof.statement("agents", "Job", "j", "alice", List.of("b", "a"));

  @Test
  void readsOpensslKeysSignsWithTheActiveOneAndRoundTripsThroughTheSecretForm() {
    SigningKeyRing ring = TestDelegation.ring("k2");
    DelegationProof proof = ring.sign(STATEMENT);
    assertThat(proof.keyId()).isEqualTo("k2");
    assertThat(DelegationProof.parse(proof.text())).isPresent();
    assertThat(
            DelegationProof.parse(proof.text())
                .orElseThrow()
                .verifies(STATEMENT, ring.publicKeys()))
        .isTrue();

    SigningKeyRing again = SigningKeyRing.fromFiles(ring.toFiles());
    assertThat(again.publicKeys().encode()).isEqualTo(ring.publicKeys().encode());
    assertThat(proof.verifies(STATEMENT, PublicKeyRing.parse(ring.publicKeys().encode())))
        .as("what a sidecar reads from the published ConfigMap")
        .isTrue();
  }

  @Test
  void groupOrderDoesNotMatterButEveryFieldDoes() {
    assertThat(DelegationProof.statement("agents", "Job", "j", "alice", List.of("a", "b")))
        .isEqualTo(STATEMENT);
    assertThat(DelegationProof.statement("agents", "Job", "j", "alice", List.of("a")))
        .isNotEqualTo(STATEMENT);
    // Length prefixes: moving a character from one field to the next changes the statement.
    assertThat(DelegationProof.statement("agents", "Jo", "bj", "alice", List.of("a", "b")))
        .isNotEqualTo(STATEMENT);
  }

  @Test
  void malformedProofsAndKeysAreRefusedByName() {
    assertThat(DelegationProof.parse("v1.k1.short")).isEmpty();
    assertThat(DelegationProof.parse("v2.k1." + "A".repeat(86))).isEmpty();
    assertThat(DelegationProof.parse(null)).isEmpty();
    assertThatThrownBy(() -> SigningKeyRing.fromFiles(Map.of("active", "k9")))
        .hasMessageContaining("'active' names key 'k9'");
    assertThatThrownBy(
            () -> SigningKeyRing.fromFiles(Map.of("k1.pem", "not a key", "active", "k1")))
        .hasMessageContaining("delegation key k1");
    assertThatThrownBy(() -> PublicKeyRing.parse("k1=bm90IGEga2V5"))
        .hasMessageContaining("delegation key k1 is not an Ed25519 public key");
    assertThatThrownBy(() -> SigningKeyRing.generate("bad id"))
        .hasMessageContaining("delegation key id 'bad id'");
  }
}
