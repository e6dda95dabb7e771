package dev.tollgate.engine.net;

/**
 * What an IP address reaches, for policies that keep agents away from the node, the cluster and the
 * cloud's metadata service. Checked most specific first: the metadata address {@code
 * 169.254.169.254} is {@link #METADATA}, not just {@link #LINK_LOCAL}.
 */
public enum AddressKind {
  /**
   * Cloud instance metadata (credentials live there): 169.254.169.254, fd00:ec2::254,
   * 100.100.100.200.
   */
  METADATA("metadata"),
  /** This host: 127.0.0.0/8, ::1. */
  LOOPBACK("loopback"),
  /** 0.0.0.0/8 and :: (reach this host on most systems). */
  UNSPECIFIED("unspecified"),
  /** 169.254.0.0/16, fe80::/10. */
  LINK_LOCAL("linkLocal"),
  /** 10/8, 172.16/12, 192.168/16, 100.64/10 (carrier-grade NAT), fc00::/7. */
  PRIVATE("private"),
  /** Multicast and broadcast. */
  MULTICAST("multicast"),
  /** Reserved and documentation ranges (240/4, 192.0.2/24, …), never a real destination. */
  RESERVED("reserved"),
  /** Anything else. */
  PUBLIC("public");

  private final String wireName;

  AddressKind(String wireName) {
    this.wireName = wireName;
  }

  /** The name policies see in {@code resource.ipKind}. */
  public String wireName() {
    return wireName;
  }

  static AddressKind ofIpv4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    int a2 = b[2] & 0xff;
    int a3 = b[3] & 0xff;
    if ((a0 == 169 && a1 == 254 && a2 == 169 && a3 == 254)
        || (a0 == 100 && a1 == 100 && a2 == 100 && a3 == 200)) {
      return METADATA;
    }
    if (a0 == 127) {
      return LOOPBACK;
    }
    if (a0 == 0) {
      return UNSPECIFIED;
    }
    if (a0 == 169 && a1 == 254) {
      return LINK_LOCAL;
    }
    if (a0 == 10
        || (a0 == 172 && a1 >= 16 && a1 <= 31)
        || (a0 == 192 && a1 == 168)
        || (a0 == 100 && a1 >= 64 && a1 <= 127)) {
      return PRIVATE;
    }
    if (a0 >= 224) {
      return a0 < 240 || (a0 == 255 && a1 == 255 && a2 == 255 && a3 == 255) ? MULTICAST : RESERVED;
    }
    if ((a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2))
        || (a0 == 198 && (a1 == 18 || a1 == 19))
        || (a0 == 198 && a1 == 51 && a2 == 100)
        || (a0 == 203 && a1 == 0 && a2 == 113)) {
      return RESERVED;
    }
    return PUBLIC;
  }

  static AddressKind ofIpv6(byte[] b) {
    boolean zeroPrefix = true;
    for (int i = 0; i < 15; i++) {
      zeroPrefix &= b[i] == 0;
    }
    if (zeroPrefix) {
      return b[15] == 1 ? LOOPBACK : b[15] == 0 ? UNSPECIFIED : RESERVED;
    }
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    if (first == 0xfd
        && second == 0x00
        && b[2] == 0x0e
        && (b[3] & 0xff) == 0xc2
        && isEc2Metadata(b)) {
      return METADATA;
    }
    if (first == 0xfe && (second & 0xc0) == 0x80) {
      return LINK_LOCAL;
    }
    if ((first & 0xfe) == 0xfc) {
      return PRIVATE;
    }
    if (first == 0xff) {
      return MULTICAST;
    }
    if (first == 0x20 && second == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) {
      return RESERVED;
    }
    return PUBLIC;
  }

  /** fd00:ec2::254, the IPv6 address of the EC2 instance metadata service. */
  private static boolean isEc2Metadata(byte[] b) {
    for (int i = 4; i < 14; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[14] == 0x02 && b[15] == 0x54;
  }
}
