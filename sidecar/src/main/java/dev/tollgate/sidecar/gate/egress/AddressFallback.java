package dev.tollgate.sidecar.gate.egress;

import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.sidecar.core.ToolCall;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tries the addresses a destination resolved to, in the resolver's order, until one is both allowed
 * and reachable. Each address is decided on its own just before it would be tried, so a denied
 * address is never connected to, wherever it sits in the list and whatever failed before it: the
 * order a resolver (possibly an attacker's DNS) returns cannot smuggle a denied address in.
 *
 * <p>Time: the connect timeout is one budget for all attempts together, so a name with many
 * unreachable addresses cannot hold a client (or a set-up thread) longer than one timeout. Each
 * attempt gets its fair share of what is left, the rest divided by the addresses still to go: a
 * blackholed first address cannot starve the others, an address that refuses at once leaves its
 * share to the next, and a single address gets the whole budget as before.
 */
final class AddressFallback {

  /**
   * Addresses considered at most (after duplicates are dropped); the rest are ignored, never tried.
   * Each one costs two audit records, and a resolver answering thousands must not flood the audit.
   */
  static final int MAX_ADDRESSES = 32;

  /** One address decided: the call as it was decided (with its {@code ip}), and the decision. */
  record Attempt(ToolCall call, Decision decision) {}

  /** Decides the connection to one address (and audits that decision). */
  interface Decider {
    Attempt decide(InetAddress address);
  }

  /** Opens a connection, failing after {@code timeoutMillis} (always at least 1). */
  interface Connector {
    SocketChannel connect(InetSocketAddress target, int timeoutMillis) throws IOException;
  }

  /** How the attempts ended. */
  sealed interface Result permits Connected, Denied, Unreachable {}

  /** Connected to the address {@code attempt} decided. */
  record Connected(SocketChannel channel, Attempt attempt) implements Result {}

  /** Every address was denied; {@code first} is the first denial, the one the agent is told. */
  record Denied(Attempt first) implements Result {}

  /** Some address was allowed but none could be connected; {@code last} is the last one tried. */
  record Unreachable(Attempt last, IOException error) implements Result {
    boolean timedOut() {
      return error instanceof SocketTimeoutException;
    }
  }

  /** The JDK's blocking connect, closing the channel when it fails. */
  static final Connector SOCKETS =
      (target, timeoutMillis) -> {
        SocketChannel channel = SocketChannel.open();
        try {
          channel.socket().connect(target, timeoutMillis);
          return channel;
        } catch (IOException | RuntimeException e) {
          channel.close();
          throw e;
        }
      };

  private final Decider decider;
  private final Connector connector;
  private final long budgetNanos;

  AddressFallback(Decider decider, Connector connector, Duration budget) {
    this.decider = decider;
    this.connector = connector;
    this.budgetNanos = budget.toNanos();
  }

  /** Whether a decision lets the connection go to its address. */
  static boolean allows(Decision decision) {
    return decision.outcome() == Outcome.ALLOW && decision.resource().containsKey("host");
  }

  /**
   * Decides and tries {@code addresses} in order.
   *
   * @param addresses never empty
   */
  Result connect(List<InetAddress> addresses, int port) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no address to connect to");
    }
    List<InetAddress> candidates = addresses.stream().distinct().limit(MAX_ADDRESSES).toList();
    long deadline = System.nanoTime() + budgetNanos;
    Attempt firstDenied = null;
    Attempt lastTried = null;
    IOException lastError = null;
    for (int i = 0; i < candidates.size(); i++) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0 && lastTried != null) {
        // The budget is spent: the addresses left are neither decided nor tried.
        break;
      }
      InetAddress address = candidates.get(i);
      Attempt attempt = decider.decide(address);
      if (!allows(attempt.decision())) {
        if (firstDenied == null) {
          firstDenied = attempt;
        }
        continue;
      }
      long share = Math.max(0, deadline - System.nanoTime()) / (candidates.size() - i);
      int timeoutMillis = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(share));
      lastTried = attempt;
      try {
        return new Connected(
            connector.connect(new InetSocketAddress(address, port), timeoutMillis), attempt);
      } catch (IOException e) {
        lastError = e;
      }
    }
    if (lastTried == null) {
      return new Denied(firstDenied);
    }
    return new Unreachable(lastTried, lastError);
  }
}
