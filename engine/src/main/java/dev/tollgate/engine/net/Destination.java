package dev.tollgate.engine.net;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The host part of an egress destination in a ToolScope: an exact name ({@code
 * registry.npmjs.org}), a subdomain pattern ({@code *.npmjs.org}: any name ending in {@code
 * .npmjs.org}, at any depth, but not {@code npmjs.org} itself), an IP address in any notation, or a
 * CIDR range ({@code 10.0.0.0/8}, {@code [fd00::]/8}). Names are normalized as every host is
 * ({@link HostName}), so a destination written {@code API.Anthropic.com.} is {@code
 * api.anthropic.com}.
 *
 * <p>An address or range matches the connection's address: the host itself when it is an IP
 * literal, else the address the gate resolved the name to. A name or pattern matches the name only:
 * an IP literal never matches a name destination, whatever it may point at.
 */
public final class Destination {

  private final String canonical;
  private final String name;
  private final String suffix;
  private final byte[] network;
  private final int prefix;

  private Destination(String canonical, String name, String suffix, byte[] network, int prefix) {
    this.canonical = canonical;
    this.name = name;
    this.suffix = suffix;
    this.network = network;
    this.prefix = prefix;
  }

  /** Reads a destination host; {@link IllegalArgumentException} saying why it is none. */
  public static Destination parse(String text) {
    String raw = text.strip();
    int slash = raw.indexOf('/');
    if (slash >= 0) {
      return range(raw.substring(0, slash), raw.substring(slash + 1));
    }
    if (raw.startsWith("*.")) {
      String rest = HostName.canonical(raw.substring(2));
      if (!HostName.isDnsName(rest) || !rest.contains(".")) {
        throw new IllegalArgumentException(
            "'" + text + "' is no pattern: '*.' must be followed by a domain with a dot");
      }
      return new Destination("*." + rest, null, "." + rest, null, 0);
    }
    Optional<IpAddress> address = address(raw);
    if (address.isPresent()) {
      byte[] bytes = bytes(address.get());
      return new Destination(address.get().canonical(), null, null, bytes, bytes.length * 8);
    }
    String host = HostName.canonical(raw);
    if (!HostName.isDnsName(host)) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a host name, a *.domain pattern, an IP address or a CIDR range");
    }
    return new Destination(host, host, null, null, 0);
  }

  private static Destination range(String addressText, String prefixText) {
    IpAddress address =
        address(addressText)
            .orElseThrow(
                () -> new IllegalArgumentException("'" + addressText + "' is not an IP address"));
    byte[] bytes = bytes(address);
    int bits = bytes.length * 8;
    int prefix;
    try {
      prefix = Integer.parseInt(prefixText);
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (prefix < 0 || prefix > bits || !prefixText.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("prefix length '" + prefixText + "' must be 0 to " + bits);
    }
    byte[] network = mask(bytes, prefix);
    String canonical = IpAddress.ofBytes(network).canonical() + "/" + prefix;
    return new Destination(canonical, null, null, network, prefix);
  }

  /** The destination as the bundle carries it. */
  public String canonical() {
    return canonical;
  }

  /**
   * Whether a connection goes here.
   *
   * @param host the canonical host (a name, or an address as {@link IpAddress#canonical()})
   * @param ip the canonical address the name resolved to, or empty
   */
  public boolean matches(String host, String ip) {
    if (name != null) {
      return name.equals(host);
    }
    if (suffix != null) {
      return host.endsWith(suffix);
    }
    Optional<IpAddress> address = address(host);
    if (address.isEmpty() && !ip.isEmpty()) {
      address = address(ip);
    }
    if (address.isEmpty()) {
      return false;
    }
    byte[] bytes = bytes(address.get());
    if (bytes.length != network.length && bytes.length == 16) {
      // An IPv4-mapped address goes to its IPv4 address: the range sees that one.
      bytes = Ipv6Parser.embeddedIpv4(bytes);
    }
    return bytes != null
        && bytes.length == network.length
        && Arrays.equals(mask(bytes, prefix), network);
  }

  private static Optional<IpAddress> address(String text) {
    String host = text.contains(":") && !text.startsWith("[") ? "[" + text + "]" : text;
    try {
      return IpAddress.parseHost(host.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The 4 or 16 bytes of an address. */
  static byte[] bytes(IpAddress address) {
    String canonical = address.canonical();
    if (address.version() == 6) {
      return Ipv6Parser.parse(canonical.substring(1, canonical.length() - 1));
    }
    long value = Ipv4Parser.parse(canonical);
    return new byte[] {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] masked = bytes.clone();
    for (int i = 0; i < masked.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      masked[i] &= (byte) (0xff << (8 - keep));
    }
    return masked;
  }

  @Override
  public String toString() {
    return canonical;
  }
}
