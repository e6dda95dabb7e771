package dev.tollgate.sidecar.gate.egress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.LongConsumer;

/**
 * One open connection through the gate, relayed both ways by a {@link Relay} loop: the agent's side
 * and the destination's, each direction through its own direct buffer. A side that ends its output
 * (EOF) has that end passed on once its buffered bytes are written, so half-closed protocols work;
 * the tunnel closes when both directions have ended, or on idle timeout, a limit or an error.
 */
final class Tunnel {

  /** How a tunnel ended, as the audit's {@code closed} record says. */
  enum End {
    EOF("eof"),
    IDLE("idle-timeout"),
    DURATION("duration-limit"),
    BYTES("byte-limit"),
    ERROR("error"),
    SHUTDOWN("shutdown");

    final String wireName;

    End(String wireName) {
      this.wireName = wireName;
    }
  }

  /** Told once, when the tunnel closes. */
  interface Listener {
    void closed(long bytesSent, long bytesReceived, long durationMillis, End end);
  }

  private final SocketChannel agent;
  private final SocketChannel destination;
  private final byte[] firstUp;
  private Flow up;
  private Flow down;
  private BufferPool pool;
  private final Listener listener;
  private final EgressMeter meter;
  private final long started = System.nanoTime();
  private long lastActivity = started;
  private SelectionKey agentKey;
  private SelectionKey destinationKey;
  private boolean closed;

  /**
   * @param firstUp bytes already read from the agent that go to the destination first (the
   *     ClientHello peeked, a request body read with the head), or an empty buffer
   */
  Tunnel(
      SocketChannel agent,
      SocketChannel destination,
      byte[] firstUp,
      EgressMeter meter,
      Listener listener) {
    this.agent = agent;
    this.destination = destination;
    this.meter = meter;
    this.listener = listener;
    this.firstUp = firstUp;
  }

  /** Joins a relay loop, taking its buffers from the loop's pool (returned on close). */
  void register(Selector selector, BufferPool buffers) throws IOException {
    this.pool = buffers;
    ByteBuffer upBuffer =
        firstUp.length > BufferPool.SIZE ? ByteBuffer.allocateDirect(firstUp.length) : pool.take();
    upBuffer.put(firstUp);
    this.up = new Flow(agent, destination, upBuffer, meter::relayedUpstream);
    this.down = new Flow(destination, agent, pool.take(), meter::relayedDownstream);
    agent.configureBlocking(false);
    destination.configureBlocking(false);
    agentKey = agent.register(selector, 0, this);
    destinationKey = destination.register(selector, 0, this);
    // Bytes read with the request go out before anything else.
    up.drain();
    updateInterest();
  }

  /** Moves what the ready channel allows; returns the end when the tunnel is finished. */
  End service(long maxBytes) {
    try {
      long before = up.moved + down.moved;
      up.pump();
      down.pump();
      long after = up.moved + down.moved;
      if (after != before) {
        lastActivity = System.nanoTime();
      }
      if (after >= maxBytes) {
        return End.BYTES;
      }
      if (up.finished() && down.finished()) {
        return End.EOF;
      }
      updateInterest();
      return null;
    } catch (IOException e) {
      return End.ERROR;
    }
  }

  /** The end a timeout imposes at {@code now}, or null. */
  End timedOut(long now, long idleNanos, long durationNanos) {
    if (now - started >= durationNanos) {
      return End.DURATION;
    }
    if (now - lastActivity >= idleNanos) {
      return End.IDLE;
    }
    return null;
  }

  void close(End end) {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(agent);
    closeQuietly(destination);
    if (up != null) {
      pool.give(up.buffer);
    }
    if (down != null) {
      pool.give(down.buffer);
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    listener.closed(up == null ? 0 : up.moved, down == null ? 0 : down.moved, millis, end);
  }

  private void updateInterest() {
    int agentOps = 0;
    int destinationOps = 0;
    if (up.wantsRead()) {
      agentOps |= SelectionKey.OP_READ;
    }
    if (up.wantsWrite()) {
      destinationOps |= SelectionKey.OP_WRITE;
    }
    if (down.wantsRead()) {
      destinationOps |= SelectionKey.OP_READ;
    }
    if (down.wantsWrite()) {
      agentOps |= SelectionKey.OP_WRITE;
    }
    agentKey.interestOps(agentOps);
    destinationKey.interestOps(destinationOps);
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Closing is all that is left to do; a failure changes nothing for the audit.
    }
  }

  /** One direction: read from {@code from} into the buffer, write from it to {@code to}. */
  private static final class Flow {
    private final SocketChannel from;
    private final SocketChannel to;
    private final ByteBuffer buffer;
    private final LongConsumer counted;
    private boolean eof;
    private boolean shutDown;
    long moved;

    Flow(SocketChannel from, SocketChannel to, ByteBuffer buffer, LongConsumer counted) {
      this.from = from;
      this.to = to;
      this.buffer = buffer;
      this.counted = counted;
    }

    void pump() throws IOException {
      while (true) {
        int read = 0;
        if (!eof && buffer.hasRemaining()) {
          read = from.read(buffer);
          if (read < 0) {
            eof = true;
          }
        }
        int written = drain();
        if (read <= 0 && written == 0) {
          break;
        }
      }
      if (eof && buffer.position() == 0 && !shutDown) {
        shutDown = true;
        to.shutdownOutput();
      }
    }

    int drain() throws IOException {
      if (buffer.position() == 0) {
        return 0;
      }
      buffer.flip();
      int written;
      try {
        written = to.write(buffer);
      } finally {
        buffer.compact();
      }
      moved += written;
      if (written > 0) {
        // Counted as written, not at close, so a long tunnel shows in the metrics while open.
        counted.accept(written);
      }
      return written;
    }

    boolean wantsRead() {
      return !eof && buffer.hasRemaining();
    }

    boolean wantsWrite() {
      return buffer.position() > 0;
    }

    boolean finished() {
      return shutDown;
    }
  }
}
