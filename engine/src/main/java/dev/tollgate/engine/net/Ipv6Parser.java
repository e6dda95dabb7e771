package dev.tollgate.engine.net;

/**
 * IPv6 addresses as the WHATWG URL Standard reads and writes them: up to eight hex pieces, one
 * {@code ::}, an optional dotted IPv4 tail; no zone identifiers. Serialized lower-case with the
 * first longest run of two or more zero pieces compressed.
 */
final class Ipv6Parser {

  private Ipv6Parser() {}

  static byte[] parse(String text) {
    int[] pieces = new int[8];
    int piece = 0;
    int compress = -1;
    int i = 0;
    int n = text.length();
    if (text.startsWith(":")) {
      if (!text.startsWith("::")) {
        throw invalid(text);
      }
      i = 2;
      compress = 0;
    }
    while (i < n) {
      if (piece == 8) {
        throw invalid(text);
      }
      if (text.charAt(i) == ':') {
        if (compress >= 0) {
          throw invalid(text);
        }
        i++;
        compress = piece;
        continue;
      }
      int start = i;
      int value = 0;
      while (i < n && i - start < 4 && Character.digit(text.charAt(i), 16) >= 0) {
        value = value * 16 + Character.digit(text.charAt(i), 16);
        i++;
      }
      if (i < n && text.charAt(i) == '.') {
        if (i == start || piece > 6) {
          throw invalid(text);
        }
        long v4 = dottedQuad(text.substring(start));
        pieces[piece++] = (int) (v4 >>> 16);
        pieces[piece++] = (int) (v4 & 0xffff);
        i = n;
        break;
      }
      if (i < n && text.charAt(i) == ':') {
        i++;
        if (i == n) {
          throw invalid(text);
        }
      } else if (i < n || i == start) {
        throw invalid(text);
      }
      pieces[piece++] = value;
    }
    if (compress >= 0) {
      int moved = piece - compress;
      for (int k = 0; k < moved; k++) {
        pieces[7 - k] = pieces[piece - 1 - k];
        pieces[piece - 1 - k] = 0;
      }
      for (int k = compress; k < 8 - moved; k++) {
        pieces[k] = 0;
      }
    } else if (piece != 8) {
      throw invalid(text);
    }
    byte[] bytes = new byte[16];
    for (int k = 0; k < 8; k++) {
      bytes[2 * k] = (byte) (pieces[k] >>> 8);
      bytes[2 * k + 1] = (byte) pieces[k];
    }
    return bytes;
  }

  /** A strict dotted quad (decimal, no leading zeros) as the IPv6 tail. */
  private static long dottedQuad(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw invalid(text);
    }
    long value = 0;
    for (String part : parts) {
      if (part.isEmpty()
          || part.length() > 3
          || (part.length() > 1 && part.charAt(0) == '0')
          || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw invalid(text);
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        throw invalid(text);
      }
      value = value * 256 + octet;
    }
    return value;
  }

  static String format(byte[] bytes) {
    int[] pieces = new int[8];
    for (int k = 0; k < 8; k++) {
      pieces[k] = ((bytes[2 * k] & 0xff) << 8) | (bytes[2 * k + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int k = 0; k < 8; ) {
      int end = k;
      while (end < 8 && pieces[end] == 0) {
        end++;
      }
      if (end - k > bestLength) {
        bestStart = k;
        bestLength = end - k;
      }
      k = end == k ? k + 1 : end;
    }
    StringBuilder text = new StringBuilder();
    for (int k = 0; k < 8; k++) {
      if (k == bestStart) {
        text.append(k == 0 ? "::" : ":");
        k += bestLength - 1;
        continue;
      }
      text.append(Integer.toHexString(pieces[k]));
      if (k < 7) {
        text.append(':');
      }
    }
    return text.toString();
  }

  /**
   * The IPv4 address an IPv6 address carries and reaches: IPv4-mapped ({@code ::ffff:a.b.c.d}),
   * IPv4-compatible ({@code ::a.b.c.d}) and NAT64 ({@code 64:ff9b::a.b.c.d}); else null.
   */
  static byte[] embeddedIpv4(byte[] b) {
    boolean zeros = true;
    for (int i = 0; i < 10; i++) {
      zeros &= b[i] == 0;
    }
    boolean mapped = zeros && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    boolean compatible = zeros && b[10] == 0 && b[11] == 0 && (b[12] != 0 || b[13] != 0);
    boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = b[i] == 0;
    }
    return mapped || compatible || nat64 ? new byte[] {b[12], b[13], b[14], b[15]} : null;
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("not an IPv6 address: " + text);
  }
}
