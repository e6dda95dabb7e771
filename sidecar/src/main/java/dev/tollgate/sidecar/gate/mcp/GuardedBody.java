package dev.tollgate.sidecar.gate.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An upstream body that the {@link StreamWatchdog} closes when it stays silent for longer than the
 * read timeout, or when the client went away (a keep-alive write failed).
 */
final class GuardedBody extends InputStream {

  private final InputStream in;
  private final long timeoutNanos;
  private final AtomicLong lastRead = new AtomicLong(System.nanoTime());
  private final AtomicBoolean timedOut = new AtomicBoolean();
  private final AtomicBoolean clientGone = new AtomicBoolean();

  /**
   * @param timeoutNanos the longest silence, or {@link Long#MAX_VALUE} for none
   */
  GuardedBody(InputStream in, long timeoutNanos) {
    this.in = in;
    this.timeoutNanos = timeoutNanos;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    lastRead.set(System.nanoTime());
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = in.read(buffer, offset, length);
    lastRead.set(System.nanoTime());
    if (n < 0 && timedOut.get()) {
      throw new HttpTimeoutException("read timed out");
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  boolean timedOut() {
    return timedOut.get();
  }

  boolean clientGone() {
    return clientGone.get();
  }

  /** Closes the body when it has been silent too long. */
  void check() {
    if (timeoutNanos != Long.MAX_VALUE && System.nanoTime() - lastRead.get() > timeoutNanos) {
      timedOut.set(true);
      abort();
    }
  }

  /** Closes the body: nobody is left to read what it carries. */
  void clientLeft() {
    clientGone.set(true);
    abort();
  }

  private void abort() {
    try {
      in.close();
    } catch (IOException ignored) {
      // closing is all that is wanted
    }
  }
}
