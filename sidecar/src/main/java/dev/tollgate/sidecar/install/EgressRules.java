package dev.tollgate.sidecar.install;

import java.util.ArrayList;
import java.util.List;

/**
 * The egress rules of an agent pod, as {@code iptables-restore} / {@code ip6tables-restore} input
 * for the pod's network namespace: every packet leaving through an interface other than {@code lo}
 * is rejected unless the decision point's user sent it or it answers a connection made to the pod.
 *
 * <p>Why each rule is there:
 *
 * <ul>
 *   <li>{@code -o lo}: the agent reaches the decision point (and anything else in the pod) on
 *       loopback; a packet to the pod's own address is routed through {@code lo} too.
 *   <li>{@code --uid-owner}: the decision point forwards what it allowed; the webhook refuses every
 *       other container running as its user, so the uid is the decision point's alone.
 *   <li>{@code ESTABLISHED,RELATED}: replies to connections made <em>to</em> the pod (the kubelet's
 *       probes of an agent container's port, a Service, the kernel's resets and ICMP errors, which
 *       no socket owns) must leave. A connection the agent opens never gets there: its first packet
 *       is rejected while the connection is still NEW.
 *   <li>IPv6 neighbour discovery: the kernel's own solicitations and advertisements, without which
 *       no IPv6 packet (the decision point's included) reaches the next hop. Userspace cannot send
 *       them without NET_RAW, which agent containers never get.
 *   <li>REJECT, not DROP: a tool fails at once (connection refused) instead of hanging until its
 *       timeout. TCP gets a reset; every other protocol, UDP (DNS) and ICMP included, a port
 *       unreachable.
 * </ul>
 *
 * <p>The rules live in a chain of their own, {@value #CHAIN}, jumped to first from {@code OUTPUT}:
 * installing again replaces the chain's rules and adds the jump only when it is missing.
 */
public final class EgressRules {

  /** The chain holding the rules; its name is how a re-run and a reader find them. */
  public static final String CHAIN = "TOLLGATE-EGRESS";

  /** The line {@code iptables-save} prints for the jump from {@code OUTPUT}. */
  public static final String JUMP = "-A OUTPUT -j " + CHAIN;

  /** IPv4 or IPv6. */
  public enum Family {
    IPV4("iptables", "icmp-port-unreachable"),
    IPV6("ip6tables", "icmp6-port-unreachable");

    private final String command;
    private final String unreachable;

    Family(String command, String unreachable) {
      this.command = command;
      this.unreachable = unreachable;
    }

    /** The base name of the family's tools: {@code iptables} or {@code ip6tables}. */
    public String command() {
      return command;
    }
  }

  private EgressRules() {}

  /**
   * The {@code -restore --noflush} input: declaring the chain empties it (and creates it the first
   * time), so the rules never pile up; the jump is added only when {@code jumpPresent} is false.
   */
  public static String restoreInput(Family family, long sidecarUser, boolean jumpPresent) {
    List<String> lines = new ArrayList<>();
    lines.add("*filter");
    lines.add(":" + CHAIN + " - [0:0]");
    lines.add("-A " + CHAIN + " -o lo -j ACCEPT");
    lines.add("-A " + CHAIN + " -m owner --uid-owner " + sidecarUser + " -j ACCEPT");
    lines.add("-A " + CHAIN + " -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
    if (family == Family.IPV6) {
      for (String type :
          List.of("router-solicitation", "neighbour-solicitation", "neighbour-advertisement")) {
        lines.add("-A " + CHAIN + " -p ipv6-icmp --icmpv6-type " + type + " -j ACCEPT");
      }
    }
    lines.add("-A " + CHAIN + " -p tcp -j REJECT --reject-with tcp-reset");
    lines.add("-A " + CHAIN + " -j REJECT --reject-with " + family.unreachable);
    if (!jumpPresent) {
      // First in OUTPUT: an ACCEPT someone else put there must not come before us.
      lines.add("-I OUTPUT 1 -j " + CHAIN);
    }
    lines.add("COMMIT");
    return String.join("\n", lines) + "\n";
  }

  /** Whether {@code iptables-save -t filter} output already has the jump to {@value #CHAIN}. */
  public static boolean hasJump(String saved) {
    return saved.lines().anyMatch(line -> line.strip().equals(JUMP));
  }

  /**
   * Whether {@code iptables-save -t filter} output holds the complete chain: the jump and the final
   * catch-all reject (the installer checks this after installing, and fails closed otherwise).
   */
  public static boolean installed(Family family, String saved) {
    String last = "-A " + CHAIN + " -j REJECT --reject-with " + family.unreachable;
    return hasJump(saved) && saved.lines().anyMatch(line -> line.strip().equals(last));
  }

  /** Rules in {@code iptables-save} output (lines that append to a chain), for backend choice. */
  public static int ruleCount(String saved) {
    return (int) saved.lines().filter(line -> line.startsWith("-A ")).count();
  }
}
