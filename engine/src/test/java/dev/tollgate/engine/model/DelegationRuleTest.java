package dev.tollgate.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.engine.model.DelegationRule.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class DelegationRuleTest {

  private static final List<String> ALLOWED =
      List.of("user:alice@example.com", "group:platform-admins");

  @Test
  void allowsAListedUser() {
    assertThat(new DelegationRule(ALLOWED, true).check("alice@example.com", List.of()))
        .isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void allowsAMemberOfAListedGroup() {
    assertThat(new DelegationRule(ALLOWED, false).check("bob", List.of("devs", "platform-admins")))
        .isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void refusesAnUnlistedPrincipal() {
    assertThat(new DelegationRule(ALLOWED, false).check("mallory", List.of("devs")))
        .isEqualTo(Verdict.NOT_ALLOWED);
  }

  @Test
  void aGroupNameIsNotAUserNameNorTheOtherWayRound() {
    assertThat(new DelegationRule(ALLOWED, false).check("platform-admins", List.of()))
        .isEqualTo(Verdict.NOT_ALLOWED);
    assertThat(new DelegationRule(ALLOWED, false).check("bob", List.of("alice@example.com")))
        .isEqualTo(Verdict.NOT_ALLOWED);
  }

  @Test
  void refusesEveryPrincipalWhenNobodyIsAllowed() {
    assertThat(new DelegationRule(List.of(), false).check("alice", List.of("admins")))
        .isEqualTo(Verdict.NOT_ALLOWED);
  }

  @Test
  void nobodyIsFineUnlessAPrincipalIsRequired() {
    assertThat(new DelegationRule(ALLOWED, false).check("", List.of())).isEqualTo(Verdict.ALLOWED);
    assertThat(new DelegationRule(ALLOWED, false).check(null, List.of()))
        .isEqualTo(Verdict.ALLOWED);
    assertThat(new DelegationRule(ALLOWED, true).check("", List.of("platform-admins")))
        .isEqualTo(Verdict.PRINCIPAL_REQUIRED);
  }
}
