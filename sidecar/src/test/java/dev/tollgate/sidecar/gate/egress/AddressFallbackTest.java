package dev.tollgate.sidecar.gate.egress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.decision.Reason;
import dev.tollgate.engine.model.EgressDefinition;
import dev.tollgate.sidecar.core.ToolCall;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The order, decisions and time budget of trying a name's addresses, with a decider and connector
 * that stand in for the policy engine and the network: which addresses were tried is observed
 * exactly, and a blackholed address costs the timeout it is given without waiting for a network.
 */
class AddressFallbackTest {

  private static final String METADATA = "169.254.169.254";

  private final List<String> decided = Collections.synchronizedList(new ArrayList<>());
  private final List<String> tried = Collections.synchronizedList(new ArrayList<>());
  private final List<Integer> timeouts = Collections.synchronizedList(new ArrayList<>());

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  private static List<InetAddress> ips(String... literals) {
    return Arrays.stream(literals).map(AddressFallbackTest::ip).toList();
  }

  /** Denies the given addresses (first reason RuleDenied), allows every other. */
  private AddressFallback.Decider denying(Set<String> denied) {
    return address -> {
      String literal = address.getHostAddress();
      decided.add(literal);
      boolean deny = denied.contains(literal);
      Decision decision =
          new Decision(
              deny ? Outcome.DENY : Outcome.ALLOW,
              List.of(deny ? Reason.RuleDenied : Reason.RuleAllowed),
              List.of(),
              List.of(deny ? "denied " + literal : ""),
              List.of(),
              "r1",
              null,
              Map.of(),
              Map.of("host", "multi.test", "ip", literal));
      ToolCall call =
          new ToolCall(
              "c1",
              EgressGate.SOURCE,
              "",
              EgressDefinition.TOOL,
              JsonNodeFactory.instance.objectNode().put("ip", literal),
              "/");
      return new AddressFallback.Attempt(call, decision);
    };
  }

  /** Refuses every address except {@code reachable}; {@code blackholed} ones use up their time. */
  private AddressFallback.Connector network(Set<String> reachable, Set<String> blackholed) {
    return (target, timeoutMillis) -> {
      String literal = target.getAddress().getHostAddress();
      tried.add(literal);
      timeouts.add(timeoutMillis);
      if (reachable.contains(literal)) {
        return SocketChannel.open();
      }
      if (blackholed.contains(literal)) {
        try {
          Thread.sleep(timeoutMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new SocketTimeoutException("Connect timed out");
      }
      throw new ConnectException("Connection refused");
    };
  }

  private static String ipOf(AddressFallback.Attempt attempt) {
    return (String) attempt.decision().resource().get("ip");
  }

  @Test
  void aRefusingFirstAddressFallsBackToTheNext() throws IOException {
    AddressFallback fallback =
        new AddressFallback(
            denying(Set.of()), network(Set.of("10.0.0.2"), Set.of()), Duration.ofSeconds(1));
    AddressFallback.Result result = fallback.connect(ips("10.0.0.1", "10.0.0.2"), 443);
    assertThat(result).isInstanceOf(AddressFallback.Connected.class);
    AddressFallback.Connected connected = (AddressFallback.Connected) result;
    connected.channel().close();
    assertThat(ipOf(connected.attempt())).isEqualTo("10.0.0.2");
    assertThat(tried).containsExactly("10.0.0.1", "10.0.0.2");
  }

  @Test
  void aDeniedAddressIsDecidedButNeverTried() throws IOException {
    AddressFallback fallback =
        new AddressFallback(
            denying(Set.of(METADATA)),
            network(Set.of(METADATA, "93.184.216.34"), Set.of()),
            Duration.ofSeconds(1));
    AddressFallback.Result result = fallback.connect(ips(METADATA, "93.184.216.34"), 443);
    AddressFallback.Connected connected = (AddressFallback.Connected) result;
    connected.channel().close();
    assertThat(ipOf(connected.attempt())).isEqualTo("93.184.216.34");
    assertThat(decided).containsExactly(METADATA, "93.184.216.34");
    assertThat(tried).containsExactly("93.184.216.34");
  }

  @Test
  void aDeniedAddressAfterAFailedAllowedOneIsNotTriedEither() {
    // An attacker's DNS puts a public address that refuses first, the metadata address next.
    AddressFallback fallback =
        new AddressFallback(
            denying(Set.of(METADATA, "10.0.0.9")),
            network(Set.of(METADATA, "10.0.0.9"), Set.of()),
            Duration.ofSeconds(1));
    AddressFallback.Result result =
        fallback.connect(ips("93.184.216.34", METADATA, "93.184.216.35", "10.0.0.9"), 443);
    assertThat(result).isInstanceOf(AddressFallback.Unreachable.class);
    AddressFallback.Unreachable unreachable = (AddressFallback.Unreachable) result;
    assertThat(ipOf(unreachable.last())).isEqualTo("93.184.216.35");
    assertThat(unreachable.timedOut()).isFalse();
    assertThat(unreachable.error()).hasMessageContaining("refused");
    assertThat(tried).containsExactly("93.184.216.34", "93.184.216.35");
  }

  @Test
  void everyAddressDeniedAnswersWithTheFirstDenial() {
    AddressFallback fallback =
        new AddressFallback(
            denying(Set.of(METADATA, "10.0.0.1")),
            network(Set.of(METADATA, "10.0.0.1"), Set.of()),
            Duration.ofSeconds(1));
    AddressFallback.Result result = fallback.connect(ips(METADATA, "10.0.0.1"), 443);
    assertThat(result).isInstanceOf(AddressFallback.Denied.class);
    assertThat(((AddressFallback.Denied) result).first().decision().messages())
        .containsExactly("denied " + METADATA);
    assertThat(tried).isEmpty();
  }

  @Test
  void twentyBlackholedAddressesShareOneConnectTimeout() {
    List<String> all = IntStream.rangeClosed(1, 20).mapToObj(i -> "198.51.100." + i).toList();
    AddressFallback fallback =
        new AddressFallback(
            denying(Set.of()), network(Set.of(), Set.copyOf(all)), Duration.ofMillis(1_000));
    long before = System.nanoTime();
    AddressFallback.Result result = fallback.connect(ips(all.toArray(String[]::new)), 443);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
    assertThat(result).isInstanceOf(AddressFallback.Unreachable.class);
    assertThat(((AddressFallback.Unreachable) result).timedOut()).isTrue();
    assertThat(millis).isLessThan(2_000);
    assertThat(timeouts.stream().mapToInt(Integer::intValue).sum()).isLessThanOrEqualTo(1_020);
    // The first blackholed address did not take the whole budget: most of the others were tried.
    assertThat(timeouts.get(0)).isLessThanOrEqualTo(50);
    assertThat(tried.size()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void aBlackholedFirstAddressLeavesTimeForTheSecond() throws IOException {
    AddressFallback fallback =
        new AddressFallback(
            denying(Set.of()),
            network(Set.of("10.0.0.2"), Set.of("10.0.0.1")),
            Duration.ofMillis(1_000));
    AddressFallback.Result result = fallback.connect(ips("10.0.0.1", "10.0.0.2"), 443);
    AddressFallback.Connected connected = (AddressFallback.Connected) result;
    connected.channel().close();
    assertThat(timeouts.get(0)).isBetween(400, 500);
    assertThat(timeouts.get(1)).isGreaterThanOrEqualTo(300);
  }

  @Test
  void duplicatesAreTriedOnceAndAtMostThirtyTwoAddressesAreConsidered() {
    List<InetAddress> addresses = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      addresses.add(ip("10.0.1." + (i % 50)));
    }
    addresses.add(0, ip("10.0.1.0"));
    AddressFallback fallback =
        new AddressFallback(denying(Set.of()), network(Set.of(), Set.of()), Duration.ofSeconds(1));
    assertThat(fallback.connect(addresses, 443)).isInstanceOf(AddressFallback.Unreachable.class);
    assertThat(decided).hasSize(AddressFallback.MAX_ADDRESSES).doesNotHaveDuplicates();
    assertThat(tried).hasSize(AddressFallback.MAX_ADDRESSES);
  }
}
