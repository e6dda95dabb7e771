package dev.tollgate.sidecar.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.install.EgressRules.Family;
import org.junit.jupiter.api.Test;

class EgressRulesTest {

  @Test
  void ipv4RulesAcceptLoopbackTheSidecarAndRepliesThenRejectEverything() {
    assertThat(EgressRules.restoreInput(Family.IPV4, 65100, false))
        .isEqualTo(
            """
            *filter
            :TOLLGATE-EGRESS - [0:0]
            -A TOLLGATE-EGRESS -o lo -j ACCEPT
            -A TOLLGATE-EGRESS -m owner --uid-owner 65100 -j ACCEPT
            -A TOLLGATE-EGRESS -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
            -A TOLLGATE-EGRESS -p tcp -j REJECT --reject-with tcp-reset
            -A TOLLGATE-EGRESS -j REJECT --reject-with icmp-port-unreachable
            -I OUTPUT 1 -j TOLLGATE-EGRESS
            COMMIT
            """);
  }

  @Test
  void ipv6RulesKeepNeighbourDiscoveryAndRejectWithIcmp6() {
    String rules = EgressRules.restoreInput(Family.IPV6, 65100, false);
    assertThat(rules)
        .contains("-A TOLLGATE-EGRESS -p ipv6-icmp --icmpv6-type neighbour-solicitation -j ACCEPT")
        .contains("-A TOLLGATE-EGRESS -p ipv6-icmp --icmpv6-type neighbour-advertisement -j ACCEPT")
        .contains("-A TOLLGATE-EGRESS -j REJECT --reject-with icmp6-port-unreachable")
        .doesNotContain("icmp-port-unreachable\n");
    assertThat(rules.indexOf("neighbour-advertisement"))
        .isLessThan(rules.indexOf("-p tcp -j REJECT"));
  }

  @Test
  void aSecondRunReplacesTheChainButAddsNoSecondJump() {
    String saved =
        """
        *filter
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :TOLLGATE-EGRESS - [0:0]
        -A OUTPUT -j TOLLGATE-EGRESS
        -A TOLLGATE-EGRESS -o lo -j ACCEPT
        -A TOLLGATE-EGRESS -j REJECT --reject-with icmp-port-unreachable
        COMMIT
        """;
    assertThat(EgressRules.hasJump(saved)).isTrue();
    assertThat(EgressRules.installed(Family.IPV4, saved)).isTrue();
    assertThat(EgressRules.installed(Family.IPV6, saved)).isFalse();
    assertThat(EgressRules.ruleCount(saved)).isEqualTo(3);
    assertThat(EgressRules.restoreInput(Family.IPV4, 65100, true))
        .contains(":TOLLGATE-EGRESS - [0:0]")
        .doesNotContain("OUTPUT");
  }

  @Test
  void anEmptyTableHasNoJump() {
    assertThat(EgressRules.hasJump("")).isFalse();
    assertThat(EgressRules.ruleCount("# Warning: iptables-legacy tables present\n")).isZero();
  }
}
