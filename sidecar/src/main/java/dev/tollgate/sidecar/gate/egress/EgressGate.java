package dev.tollgate.sidecar.gate.egress;

import dev.tollgate.sidecar.core.ToolCallAuthorizer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The egress gate (docs/design.md, "Egress gate"): an HTTP proxy on loopback that the agent's
 * HTTPS_PROXY and HTTP_PROXY name, deciding each connection as a call of tool {@code Egress}
 * through the same core as every other door. It only translates the proxy protocol: scope, rules,
 * Audit mode and audit records are the core's.
 *
 * <p>Threads: one acceptor; a bounded pool that sets connections up (read, decide, resolve,
 * connect), apart from the decision endpoints' threads; a few selector threads that relay every
 * open tunnel; one watchdog that ends set-ups that outlive their deadline.
 */
public final class EgressGate implements AutoCloseable {

  /** The audit's {@code source} of egress calls. */
  public static final String SOURCE = "egress";

  private static final byte[] BUSY =
      ("HTTP/1.1 503 Service Unavailable\r\nX-Tollgate-Reason: Busy; too many open connections\r\n"
              + "Content-Length: 0\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1);

  private final EgressSettings settings;
  private final ServerSocketChannel server;
  private final ThreadPoolExecutor handshakes;
  private final ScheduledExecutorService watchdog;
  private final Relay relay;
  private final EgressMeter meter;
  private final Connection.Context context;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong ids = new AtomicLong();
  private final String idPrefix = "egress-" + Long.toHexString(System.nanoTime()) + "-";
  private final Thread acceptor;

  public EgressGate(
      EgressSettings settings,
      ToolCallAuthorizer authorizer,
      EgressResolver resolver,
      EgressMeter meter)
      throws IOException {
    this.settings = settings;
    this.meter = meter;
    this.relay =
        new Relay(
            settings.relayThreads(),
            settings.idleTimeout(),
            settings.maxDuration(),
            settings.maxBytes());
    this.handshakes =
        new ThreadPoolExecutor(
            settings.handshakeThreads(),
            settings.handshakeThreads(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(settings.maxTunnels()),
            daemon("tollgate-egress-handshake"));
    handshakes.allowCoreThreadTimeOut(true);
    this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("tollgate-egress-watchdog"));
    this.context =
        new Connection.Context(
            settings,
            authorizer,
            resolver,
            AddressFallback.SOCKETS,
            meter,
            relay,
            open::decrementAndGet);
    this.server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(settings.host(), settings.port()), 256);
    this.acceptor = new Thread(this::accept, "tollgate-egress-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The port the proxy listens on. */
  public int port() {
    return server.socket().getLocalPort();
  }

  /** Connections being set up or relayed. */
  public int openConnections() {
    return open.get();
  }

  private void accept() {
    long deadline =
        settings.handshakeTimeout().toMillis() * 2 + settings.connectTimeout().toMillis();
    while (server.isOpen()) {
      SocketChannel agent;
      try {
        agent = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        continue;
      }
      if (open.incrementAndGet() > settings.maxTunnels()) {
        refuseBusy(agent);
        continue;
      }
      Connection connection = new Connection(agent, idPrefix + ids.incrementAndGet(), context);
      try {
        handshakes.execute(connection);
        watchdog.schedule(connection::abandonIfStalled, deadline, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        refuseBusy(agent);
      }
    }
  }

  private void refuseBusy(SocketChannel agent) {
    meter.connection(EgressMeter.Outcome.FAILED, EgressMeter.Reasons.BUSY);
    try (agent) {
      agent.write(ByteBuffer.wrap(BUSY));
    } catch (IOException e) {
      // The agent is gone already.
    } finally {
      open.decrementAndGet();
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // Closing the listener is best effort; the threads below stop regardless.
    }
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    handshakes.shutdownNow();
    watchdog.shutdownNow();
    relay.close();
    try {
      handshakes.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
