package dev.tollgate.engine.net;

import java.util.Optional;

/**
 * An IP address written as a URL host, in every notation a WHATWG URL parser accepts, and what kind
 * of destination it is. {@code http://2852039166/}, {@code http://0xA9FEA9FE/}, {@code
 * http://0251.0376.0251.0376/}, {@code http://169.254.43518/} and {@code
 * http://[::ffff:a9fe:a9fe]/} all go to {@code 169.254.169.254}: a host rule must see that one
 * address, not five strings.
 *
 * @param canonical dotted-quad IPv4, or bracketed compressed lower-case IPv6 ({@code [fe80::1]})
 * @param version 4 or 6
 * @param kind what the address reaches ({@link AddressKind})
 */
public record IpAddress(String canonical, int version, AddressKind kind) {

  /**
   * Reads a URL host (already lower-cased and percent-decoded). Empty when the host is a domain
   * name. {@link IllegalArgumentException} when the host looks like an address but is not a valid
   * one: a WHATWG parser refuses such a URL, and so must a policy.
   */
  public static Optional<IpAddress> parseHost(String host) {
    if (host.startsWith("[")) {
      if (!host.endsWith("]")) {
        throw new IllegalArgumentException("unclosed IPv6 address " + host);
      }
      byte[] bytes = Ipv6Parser.parse(host.substring(1, host.length() - 1));
      return Optional.of(ofBytes(bytes));
    }
    if (!Ipv4Parser.endsInANumber(host)) {
      return Optional.empty();
    }
    long value = Ipv4Parser.parse(host);
    byte[] bytes = {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
    return Optional.of(ofBytes(bytes));
  }

  /** An address from its 4 or 16 bytes; IPv4-mapped and -compatible IPv6 are classified as IPv4. */
  static IpAddress ofBytes(byte[] bytes) {
    if (bytes.length == 4) {
      return new IpAddress(dotted(bytes), 4, AddressKind.ofIpv4(bytes));
    }
    String canonical = "[" + Ipv6Parser.format(bytes) + "]";
    byte[] embedded = Ipv6Parser.embeddedIpv4(bytes);
    AddressKind kind = embedded != null ? AddressKind.ofIpv4(embedded) : AddressKind.ofIpv6(bytes);
    return new IpAddress(canonical, 6, kind);
  }

  private static String dotted(byte[] bytes) {
    return (bytes[0] & 0xff)
        + "."
        + (bytes[1] & 0xff)
        + "."
        + (bytes[2] & 0xff)
        + "."
        + (bytes[3] & 0xff);
  }
}
