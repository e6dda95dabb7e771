package dev.tollgate.sidecar.gate.egress;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers of one relay loop, reused from tunnel to tunnel: allocating (and zeroing) two
 * direct buffers per connection, and leaving their release to the garbage collector, cost more than
 * the relay itself and let the process grow by hundreds of MiB between collections. Used by its
 * loop's thread only.
 */
final class BufferPool {

  /** Size of each buffer: large enough that a fast transfer needs few system calls. */
  static final int SIZE = 128 * 1024;

  private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
  private final int keep;

  /**
   * @param keep buffers kept for reuse at most; more are left to the collector
   */
  BufferPool(int keep) {
    this.keep = keep;
  }

  ByteBuffer take() {
    ByteBuffer buffer = free.poll();
    return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(SIZE);
  }

  void give(ByteBuffer buffer) {
    if (buffer.capacity() == SIZE && free.size() < keep) {
      free.push(buffer);
    }
  }
}
