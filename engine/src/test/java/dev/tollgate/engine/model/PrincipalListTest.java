package dev.tollgate.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrincipalListTest {

  private final PrincipalList approvers =
      new PrincipalList(List.of("user:alice", "group:release-managers"));

  @Test
  void namesListedUsersAndMembersOfListedGroups() {
    assertThat(approvers.names("alice", List.of())).isTrue();
    assertThat(approvers.names("bob", List.of("devs", "release-managers"))).isTrue();
  }

  @Test
  void doesNotNameOthersNorMixUpUsersAndGroups() {
    assertThat(approvers.names("bob", List.of("devs"))).isFalse();
    assertThat(approvers.names("release-managers", List.of())).isFalse();
    assertThat(approvers.names("bob", List.of("alice"))).isFalse();
    assertThat(approvers.names("", List.of())).isFalse();
  }

  @Test
  void matchesWholeEntriesOnly() {
    assertThat(approvers.names("ali", List.of())).isFalse();
    assertThat(approvers.names("Alice", List.of())).isFalse();
    assertThat(new PrincipalList(List.of("alice")).names("alice", List.of())).isFalse();
  }
}
