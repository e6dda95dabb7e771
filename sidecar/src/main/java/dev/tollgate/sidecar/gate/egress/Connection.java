package dev.tollgate.sidecar.gate.egress;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.model.EgressDefinition;
import dev.tollgate.engine.net.HostName;
import dev.tollgate.sidecar.audit.AuditEvent.Traffic;
import dev.tollgate.sidecar.core.ToolCall;
import dev.tollgate.sidecar.core.ToolCallAuthorizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Sets up one connection of the agent: reads the proxy request, decides it as a call of tool {@code
 * Egress}, resolves the name and decides again with the address it will connect to, connects,
 * checks the TLS server name of a tunnel to 443, and hands the two sockets to the {@link Relay}.
 * Nothing reaches the destination before both decisions allowed it; every refusal is answered (403,
 * 400, 502, 504) and audited.
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

  /** What every connection shares. */
  record Context(
      EgressSettings settings,
      ToolCallAuthorizer authorizer,
      EgressResolver resolver,
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
        refuseUnreadable(out, 400, e.getMessage());
        return;
      } catch (SocketTimeoutException e) {
        refuseUnreadable(out, 408, "no complete request head in time");
        return;
      }
      ToolCall call = call(request, "");
      Decision decision =
          context.authorizer().authorizeUnheld(call, context.settings().auditOnly());
      if (!allowed(out, decision)) {
        return;
      }
      String host = (String) decision.resource().get("host");
      String ip = (String) decision.resource().get("ip");
      InetAddress address;
      if (ip.isEmpty()) {
        try {
          address = context.resolver().resolve(host).get(0);
        } catch (UnknownHostException | IndexOutOfBoundsException e) {
          failed(call, out, 502, "NameNotResolved", "cannot resolve " + host, "resolve-failed");
          return;
        }
        call = call(request, literal(address));
        decision = context.authorizer().authorizeUnheld(call, context.settings().auditOnly());
        if (!allowed(out, decision)) {
          return;
        }
      } else {
        // An address literal: no lookup happens for it.
        address = InetAddress.getByName(ip.replace("[", "").replace("]", ""));
      }
      destination = SocketChannel.open();
      try {
        destination
            .socket()
            .connect(
                new InetSocketAddress(address, request.port()),
                (int) context.settings().connectTimeout().toMillis());
      } catch (SocketTimeoutException e) {
        failed(call, out, 504, "ConnectTimeout", "connecting timed out", "connect-failed");
        return;
      } catch (IOException e) {
        failed(
            call, out, 502, "ConnectFailed", "cannot connect: " + e.getMessage(), "connect-failed");
        return;
      }
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
      ToolCall decided = call;
      long opened = started;
      handedOver = true;
      context
          .relay()
          .add(
              new Tunnel(
                  agent,
                  destination,
                  first,
                  (sent, received, millis, end) -> {
                    long total = (System.nanoTime() - opened) / 1_000_000;
                    context
                        .authorizer()
                        .recordClosed(decided, new Traffic(sent, received, total, end.wireName));
                    context.released().run();
                  }));
    } catch (IOException e) {
      // The agent went away or the watchdog closed a stalled handshake: nothing more to say.
    } finally {
      if (!handedOver) {
        close(destination);
        close(agent);
        context.released().run();
      }
    }
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
      closed(call, "sni-mismatch");
      return null;
    }
    return hello.bytes();
  }

  private boolean allowed(OutputStream out, Decision decision) {
    if (decision.outcome() == Outcome.ALLOW && decision.resource().containsKey("host")) {
      return true;
    }
    Decision said = decision.wouldDecide() != null ? decision.wouldDecide() : decision;
    String reason = said.reasonCodes().isEmpty() ? "Denied" : said.reasonCodes().get(0);
    int status = reason.equals("BadRequest") ? 400 : 403;
    Refusal.send(out, status, reason, said.summary());
    return false;
  }

  private void refuseUnreadable(OutputStream out, int status, String why) {
    ToolCall call = new ToolCall(id, EgressGate.SOURCE, "", EgressDefinition.TOOL, null, "/");
    context.authorizer().refuse(call, why);
    Refusal.send(out, status, "BadRequest", why);
  }

  private void failed(
      ToolCall call, OutputStream out, int status, String reason, String why, String end) {
    Refusal.send(out, status, reason, why);
    closed(call, end);
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
