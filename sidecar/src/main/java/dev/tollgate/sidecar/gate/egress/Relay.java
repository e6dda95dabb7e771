package dev.tollgate.sidecar.gate.egress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Relays the bytes of every open tunnel on a fixed number of selector threads, apart from the
 * threads that decide: a thousand idle tunnels cost buffers, not threads. Each loop wakes at least
 * every 250 ms to close tunnels that were idle or open too long.
 */
final class Relay implements AutoCloseable {

  private static final long TICK_MILLIS = 250;

  // Per loop: enough for 32 tunnels at once without allocating (4 MiB of direct memory).
  private static final int KEPT_BUFFERS = 64;

  private final List<Loop> loops = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final long idleNanos;
  private final long durationNanos;
  private final long maxBytes;

  Relay(int threads, Duration idle, Duration maxDuration, long maxBytes) {
    this.idleNanos = idle.toNanos();
    this.durationNanos = maxDuration.toNanos();
    this.maxBytes = maxBytes;
    for (int i = 0; i < threads; i++) {
      Loop loop = new Loop();
      Thread thread = new Thread(loop, "tollgate-egress-relay-" + i);
      thread.setDaemon(true);
      loop.thread = thread;
      loops.add(loop);
      thread.start();
    }
  }

  /** Hands a set-up tunnel to the least recently chosen loop. */
  void add(Tunnel tunnel) {
    Loop loop = loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    loop.pending.add(tunnel);
    loop.selector.wakeup();
  }

  @Override
  public void close() {
    for (Loop loop : loops) {
      loop.running = false;
      loop.selector.wakeup();
    }
    for (Loop loop : loops) {
      try {
        loop.thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private final class Loop implements Runnable {
    private final Selector selector;
    private final Queue<Tunnel> pending = new ConcurrentLinkedQueue<>();
    private final BufferPool buffers = new BufferPool(KEPT_BUFFERS);
    private volatile boolean running = true;
    private Thread thread;

    Loop() {
      try {
        selector = Selector.open();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void run() {
      long lastSweep = System.nanoTime();
      try {
        while (running) {
          selector.select(TICK_MILLIS);
          registerPending();
          for (SelectionKey key : selector.selectedKeys()) {
            Tunnel tunnel = (Tunnel) key.attachment();
            if (!key.isValid()) {
              continue;
            }
            Tunnel.End end = tunnel.service(maxBytes);
            if (end != null) {
              tunnel.close(end);
            }
          }
          selector.selectedKeys().clear();
          long now = System.nanoTime();
          if (now - lastSweep >= TICK_MILLIS * 1_000_000) {
            lastSweep = now;
            sweep(now);
          }
        }
      } catch (IOException | RuntimeException e) {
        // Falls through to close every tunnel: a broken loop must not leave them open.
      }
      closeAll();
    }

    private void registerPending() {
      Tunnel tunnel;
      while ((tunnel = pending.poll()) != null) {
        try {
          tunnel.register(selector, buffers);
        } catch (IOException e) {
          tunnel.close(Tunnel.End.ERROR);
        }
      }
    }

    private void sweep(long now) {
      for (SelectionKey key : List.copyOf(selector.keys())) {
        Tunnel tunnel = (Tunnel) key.attachment();
        if (key.isValid()) {
          Tunnel.End end = tunnel.timedOut(now, idleNanos, durationNanos);
          if (end != null) {
            tunnel.close(end);
          }
        }
      }
    }

    private void closeAll() {
      Tunnel tunnel;
      while ((tunnel = pending.poll()) != null) {
        tunnel.close(Tunnel.End.SHUTDOWN);
      }
      for (SelectionKey key : List.copyOf(selector.keys())) {
        ((Tunnel) key.attachment()).close(Tunnel.End.SHUTDOWN);
      }
      try {
        selector.close();
      } catch (IOException e) {
        // Nothing is left to release.
      }
    }
  }
}
