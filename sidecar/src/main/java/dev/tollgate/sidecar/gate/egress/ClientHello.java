package dev.tollgate.sidecar.gate.egress;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The first TLS record of a tunnel to port 443, read before any byte goes to the destination, and
 * the server name (SNI) it asks for. Only what is needed is parsed; the bytes themselves are passed
 * on unchanged. A ClientHello split over several records is refused: clients send it in one (it is
 * far below the 16 KiB record limit).
 *
 * @param bytes everything read from the agent so far, to be sent to the destination first
 * @param serverName the SNI host name, if the ClientHello carries one
 */
record ClientHello(byte[] bytes, Optional<String> serverName) {

  private static final int HEADER = 5;

  /**
   * Reads one TLS handshake record, starting with {@code already} (bytes read with the request).
   *
   * @throws MalformedRequestException when the agent sends anything but a ClientHello
   */
  static ClientHello read(InputStream in, byte[] already)
      throws IOException, MalformedRequestException {
    byte[] buffer = Arrays.copyOf(already, Math.max(already.length, HEADER + (1 << 14)));
    int length = already.length;
    length = fill(in, buffer, length, HEADER);
    if (buffer[0] != 0x16 || buffer[1] != 0x03) {
      throw new MalformedRequestException("a tunnel to port 443 must start with a TLS ClientHello");
    }
    int recordLength = ((buffer[3] & 0xff) << 8) | (buffer[4] & 0xff);
    if (recordLength < 4 || recordLength > (1 << 14)) {
      throw new MalformedRequestException("bad TLS record length " + recordLength);
    }
    length = fill(in, buffer, length, HEADER + recordLength);
    ByteBuffer record = ByteBuffer.wrap(buffer, HEADER, recordLength);
    Optional<String> name;
    try {
      name = serverName(record);
    } catch (RuntimeException e) {
      throw new MalformedRequestException("unreadable TLS ClientHello");
    }
    return new ClientHello(Arrays.copyOf(buffer, length), name);
  }

  private static int fill(InputStream in, byte[] buffer, int length, int wanted)
      throws IOException, MalformedRequestException {
    while (length < wanted) {
      int n = in.read(buffer, length, buffer.length - length);
      if (n < 0) {
        throw new MalformedRequestException("connection closed before the TLS ClientHello");
      }
      length += n;
    }
    return length;
  }

  private static Optional<String> serverName(ByteBuffer b) throws MalformedRequestException {
    if (b.get() != 0x01) {
      throw new MalformedRequestException("the first TLS message is not a ClientHello");
    }
    int handshakeLength = ((b.get() & 0xff) << 16) | ((b.get() & 0xff) << 8) | (b.get() & 0xff);
    if (handshakeLength > b.remaining()) {
      throw new MalformedRequestException("a ClientHello split over TLS records is refused");
    }
    skip(b, 2 + 32);
    skip(b, b.get() & 0xff);
    skip(b, b.getShort() & 0xffff);
    skip(b, b.get() & 0xff);
    if (!b.hasRemaining()) {
      return Optional.empty();
    }
    int extensionsEnd = (b.getShort() & 0xffff) + b.position();
    while (b.position() + 4 <= extensionsEnd) {
      int type = b.getShort() & 0xffff;
      int extensionLength = b.getShort() & 0xffff;
      if (type != 0) {
        skip(b, extensionLength);
        continue;
      }
      int listEnd = (b.getShort() & 0xffff) + b.position();
      while (b.position() + 3 <= listEnd) {
        int nameType = b.get() & 0xff;
        int nameLength = b.getShort() & 0xffff;
        byte[] name = new byte[nameLength];
        b.get(name);
        if (nameType == 0) {
          return Optional.of(new String(name, StandardCharsets.US_ASCII));
        }
      }
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static void skip(ByteBuffer b, int count) {
    b.position(b.position() + count);
  }
}
