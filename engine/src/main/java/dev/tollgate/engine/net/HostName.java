package dev.tollgate.engine.net;

import java.net.IDN;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The one normalization of a host name, shared by WebFetch URLs and egress destinations so that a
 * host rule sees the same string whichever door the host came through: percent-escapes decoded,
 * trailing dots removed, Unicode turned into punycode, lower-cased. A bracketed IPv6 literal is
 * only lower-cased (its canonical form is {@link IpAddress}'s job).
 */
public final class HostName {

  private HostName() {}

  /**
   * The canonical spelling of {@code raw}; empty for an empty host. {@link
   * IllegalArgumentException} when the name cannot be a host at all (IDNA refuses it).
   */
  public static String canonical(String raw) {
    String host = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    if (host.startsWith("[")) {
      return host.toLowerCase(Locale.ROOT);
    }
    while (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty()) {
      return "";
    }
    return IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
  }

  /**
   * Whether a canonical host is a plausible DNS name: labels of letters, digits, '-' and '_', 1 to
   * 63 characters each, 253 in all. Anything else (spaces, slashes, '@') is no name a resolver
   * should be asked about.
   */
  public static boolean isDnsName(String host) {
    if (host.isEmpty() || host.length() > 253) {
      return false;
    }
    for (String label : host.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63) {
        return false;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }
}
