package dev.tollgate.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DestinationTest {

  @Test
  void namesAreNormalizedAsHostsAre() {
    assertThat(Destination.parse("API.Anthropic.COM.").canonical()).isEqualTo("api.anthropic.com");
    assertThat(Destination.parse("Bücher.example").canonical()).isEqualTo("xn--bcher-kva.example");
    assertThat(Destination.parse("*.NPMJS.org").canonical()).isEqualTo("*.npmjs.org");
  }

  @Test
  void addressesAndRangesAreCanonical() {
    assertThat(Destination.parse("2852039166").canonical()).isEqualTo("169.254.169.254");
    assertThat(Destination.parse("10.1.2.3/8").canonical()).isEqualTo("10.0.0.0/8");
    assertThat(Destination.parse("[2001:DB8::1]/32").canonical()).isEqualTo("[2001:db8::]/32");
    assertThat(Destination.parse("2001:db8::1").canonical()).isEqualTo("[2001:db8::1]");
  }

  @Test
  void namesMatchExactly() {
    Destination name = Destination.parse("api.anthropic.com");
    assertThat(name.matches("api.anthropic.com", "")).isTrue();
    assertThat(name.matches("api.anthropic.com.evil.net", "")).isFalse();
    assertThat(name.matches("x.api.anthropic.com", "")).isFalse();
    // An address never matches a name, whatever it resolves to.
    assertThat(name.matches("160.79.104.10", "160.79.104.10")).isFalse();
  }

  @Test
  void patternsMatchSubdomainsOnly() {
    Destination pattern = Destination.parse("*.npmjs.org");
    assertThat(pattern.matches("registry.npmjs.org", "")).isTrue();
    assertThat(pattern.matches("a.b.npmjs.org", "")).isTrue();
    assertThat(pattern.matches("npmjs.org", "")).isFalse();
    assertThat(pattern.matches("evilnpmjs.org", "")).isFalse();
  }

  @Test
  void rangesMatchTheAddressOrTheResolvedOne() {
    Destination range = Destination.parse("169.254.0.0/16");
    assertThat(range.matches("169.254.169.254", "")).isTrue();
    assertThat(range.matches("[::ffff:a9fe:a9fe]", "")).isTrue();
    assertThat(range.matches("metadata.example", "169.254.169.254")).isTrue();
    assertThat(range.matches("metadata.example", "")).isFalse();
    assertThat(range.matches("169.255.0.1", "")).isFalse();
    Destination v6 = Destination.parse("fd00::/8");
    assertThat(v6.matches("[fd12::1]", "")).isTrue();
    assertThat(v6.matches("10.0.0.1", "")).isFalse();
    assertThat(Destination.parse("0.0.0.0/0").matches("8.8.8.8", "")).isTrue();
    assertThat(Destination.parse("1.2.3.4").matches("1.2.3.5", "")).isFalse();
  }

  @Test
  void refusesWhatIsNoDestination() {
    for (String bad :
        new String[] {
          "*.com", "*", "a b", "10.0.0.0/33", "10.0.0.0/-1", "x.example/8", "", "a/b"
        }) {
      assertThatThrownBy(() -> Destination.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
