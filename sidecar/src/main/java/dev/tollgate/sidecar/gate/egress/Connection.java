package dev.tollgate.sidecar.gate.egress;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.model.EgressDefinition;
import dev.tollgate.engine.net.HostName;
import dev.tollgate.sidecar.audit.AuditEvent.Traffic;
import dev.tollgate.sidecar.core.ToolCall;
import dev.tollgate.sidecar.core.ToolCallAuthorizer;
import dev.tollgate.sidecar.gate.egress.EgressMeter.Reasons;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Sets up one connection of the agent: reads the proxy request, decides it as a call of tool {@code
 * Egress}, resolves the name and tries its addresses in order, each decided again with its own
 * address before it is connected to ({@link AddressFallback}), checks the TLS server name of a
 * tunnel to 443, and hands the two sockets to the {@link Relay}. Nothing reaches the destination
 * before both decisions allowed it; every refusal is answered (403, 400, 502, 504) and audited.
 *
 * <p>The first decision, on the name alone, comes before any DNS query: a name no scope names is
 * never resolved, so the resolver cannot be used to leak data through queries for invented names.
 */
final class Connection implements Runnable {

  private static final byte[] ESTABLISHED =
      "HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

  private final SocketChannel agent;
  private final String id;
  private final Context context;
  private long started;
  private volatile boolean handedOver;
  private boolean counted;

  /** What every connection shares. */
  record Context(
      EgressSettings settings,
      ToolCallAuthorizer authorizer,
      EgressResolver resolver,
      AddressFallback.Connector connector,
      EgressMeter meter,
      Relay relay,
      Runnable released) {}

  Connection(SocketChannel agent, String id, Context context) {
    this.agent = agent;
    this.id = id;
    this.context = context;
  }

  @Override
  public void run() {
    started = System.nanoTime();
    SocketChannel destination = null;
    try {
      Socket socket = agent.socket();
      socket.setSoTimeout((int) context.settings().handshakeTimeout().toMillis());
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      ProxyRequest request;
      try {
        request = ProxyRequest.read(in);
      } catch (MalformedRequestException e) {
        refuseUnreadable(out, 400, e.getMessage(), Reasons.BAD_REQUEST);
        return;
      } catch (SocketTimeoutException e) {
        refuseUnreadable(out, 408, "no complete request head in time", Reasons.REQUEST_TIMEOUT);
        return;
      }
      ToolCall call = call(request, "");
      Decision decision = decide(call);
      if (!AddressFallback.allows(decision)) {
        refuse(out, decision);
        return;
      }
      String host = (String) decision.resource().get("host");
      String ip = (String) decision.resource().get("ip");
      List<InetAddress> addresses;
      AddressFallback.Decider decider;
      if (ip.isEmpty()) {
        try {
          addresses = context.resolver().resolve(host);
        } catch (UnknownHostException e) {
          addresses = List.of();
        }
        if (addresses == null || addresses.isEmpty()) {
          failed(call, out, 502, Reasons.NAME_NOT_RESOLVED, "cannot resolve " + host);
          closed(call, "resolve-failed");
          return;
        }
        // Each address is decided again with its ip and ipKind, just before it would be tried.
        decider =
            address -> {
              ToolCall byAddress = call(request, literal(address));
              return new AddressFallback.Attempt(byAddress, decide(byAddress));
            };
      } else {
        // An address literal: no lookup happens for it, and the first decision already saw it.
        addresses = List.of(InetAddress.getByName(ip.replace("[", "").replace("]", "")));
        ToolCall literalCall = call;
        Decision literalDecision = decision;
        decider = address -> new AddressFallback.Attempt(literalCall, literalDecision);
      }
      AddressFallback.Result result =
          new AddressFallback(decider, context.connector(), context.settings().connectTimeout())
              .connect(addresses, request.port());
      if (result instanceof AddressFallback.Denied denied) {
        refuse(out, denied.first().decision());
        return;
      }
      if (result instanceof AddressFallback.Unreachable unreachable) {
        refuseUnreachable(out, unreachable);
        return;
      }
      AddressFallback.Connected connected = (AddressFallback.Connected) result;
      destination = connected.channel();
      // From here on the call is the one decided for the address actually connected to.
      call = connected.attempt().call();
      decision = connected.attempt().decision();
      byte[] first;
      if (request.connect()) {
        out.write(ESTABLISHED);
        out.flush();
        first = request.rest();
        if (context.settings().tlsPorts().contains(request.port())) {
          first = checkedClientHello(call, in, request.rest(), host, ip.equals(host));
          if (first == null) {
            return;
          }
        }
      } else {
        first = concat(request.upstreamHead(), request.rest());
      }
      socket.setSoTimeout(0);
      handOver(destination, first, call, decision);
    } catch (IOException e) {
      // The agent went away or the watchdog closed a stalled handshake: nothing more to say.
    } finally {
      if (!handedOver) {
        close(destination);
        close(agent);
        count(EgressMeter.Outcome.FAILED, Reasons.AGENT_GONE);
        context.released().run();
      }
    }
  }

  private void handOver(
      SocketChannel destination, byte[] first, ToolCall decided, Decision decision) {
    long opened = started;
    EgressMeter meter = context.meter();
    count(EgressMeter.Outcome.ALLOWED, reasonOf(decision));
    meter.tunnelOpened();
    handedOver = true;
    context
        .relay()
        .add(
            new Tunnel(
                agent,
                destination,
                first,
                meter,
                (sent, received, millis, end) -> {
                  long total = (System.nanoTime() - opened) / 1_000_000;
                  context
                      .authorizer()
                      .recordClosed(decided, new Traffic(sent, received, total, end.wireName));
                  meter.tunnelClosed();
                  context.released().run();
                }));
  }

  /**
   * Closes a connection whose set-up outlived its deadline (an agent trickling its request one byte
   * at a time, a destination that accepts and never answers): the blocked read or write fails and
   * the thread is free again.
   */
  void abandonIfStalled() {
    if (!handedOver) {
      close(agent);
    }
  }

  /** The ClientHello to pass on, or null when the connection was refused for it. */
  private byte[] checkedClientHello(
      ToolCall call, InputStream in, byte[] already, String host, boolean hostIsAddress)
      throws IOException {
    ClientHello hello;
    try {
      hello = ClientHello.read(in, already);
    } catch (MalformedRequestException | SocketTimeoutException e) {
      context.authorizer().refuse(call, e.getMessage());
      count(EgressMeter.Outcome.DENIED, Reasons.NOT_TLS);
      closed(call, "not-tls");
      return null;
    }
    String name = hello.serverName().map(HostName::canonical).orElse("");
    boolean matches = hostIsAddress ? name.isEmpty() || name.equals(host) : name.equals(host);
    if (!matches) {
      String why =
          "TLS server name '"
              + name
              + "' does not match the CONNECT host '"
              + host
              + "': the tunnel is refused";
      context.authorizer().refuse(call, why);
      count(EgressMeter.Outcome.DENIED, Reasons.SNI_MISMATCH);
      closed(call, "sni-mismatch");
      return null;
    }
    return hello.bytes();
  }

  private Decision decide(ToolCall call) {
    return context.authorizer().authorizeUnheld(call, context.settings().auditOnly());
  }

  /** Answers a denial: 403 with its reason (400 for a bad request). */
  private void refuse(OutputStream out, Decision decision) {
    Decision said = decision.wouldDecide() != null ? decision.wouldDecide() : decision;
    String reason = reasonOf(said);
    int status = reason.equals(Reasons.BAD_REQUEST) ? 400 : 403;
    count(EgressMeter.Outcome.DENIED, reason);
    Refusal.send(out, status, reason, said.summary());
  }

  /** Allowed addresses that all failed: the last error is what the agent is told. */
  private void refuseUnreachable(OutputStream out, AddressFallback.Unreachable unreachable) {
    ToolCall call = unreachable.last().call();
    String address = (String) unreachable.last().decision().resource().get("ip");
    if (unreachable.timedOut()) {
      failed(call, out, 504, Reasons.CONNECT_TIMEOUT, "connecting to " + address + " timed out");
    } else {
      String why = unreachable.error().getMessage();
      failed(
          call,
          out,
          502,
          Reasons.CONNECT_FAILED,
          "cannot connect to " + address + (why == null ? "" : ": " + why));
    }
    closed(call, "connect-failed");
  }

  private static String reasonOf(Decision decision) {
    return decision.reasonCodes().isEmpty() ? "Denied" : decision.reasonCodes().get(0);
  }

  private void refuseUnreadable(OutputStream out, int status, String why, String reason) {
    ToolCall call = new ToolCall(id, EgressGate.SOURCE, "", EgressDefinition.TOOL, null, "/");
    context.authorizer().refuse(call, why);
    count(EgressMeter.Outcome.DENIED, reason);
    Refusal.send(out, status, "BadRequest", why);
  }

  private void failed(ToolCall call, OutputStream out, int status, String reason, String why) {
    count(EgressMeter.Outcome.FAILED, reason);
    Refusal.send(out, status, reason, why);
  }

  /** Counts how this connection's set-up ended; only the first call counts. */
  private void count(EgressMeter.Outcome outcome, String reason) {
    if (!counted) {
      counted = true;
      context.meter().connection(outcome, reason);
    }
  }

  private void closed(ToolCall call, String end) {
    long millis = (System.nanoTime() - started) / 1_000_000;
    context.authorizer().recordClosed(call, new Traffic(0, 0, millis, end));
  }

  private ToolCall call(ProxyRequest request, String ip) {
    ObjectNode args = JsonNodeFactory.instance.objectNode();
    args.put("host", request.host());
    args.put("port", request.port());
    args.put("scheme", request.scheme());
    if (!ip.isEmpty()) {
      args.put("ip", ip);
    }
    return new ToolCall(id, EgressGate.SOURCE, "", EgressDefinition.TOOL, args, "/");
  }

  /** The address as a literal, without an IPv6 scope (the engine refuses zones). */
  private static String literal(InetAddress address) {
    String text = address.getHostAddress();
    int zone = text.indexOf('%');
    return zone < 0 ? text : text.substring(0, zone);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static void close(SocketChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // Closing is all that is left to do.
    }
  }
}
