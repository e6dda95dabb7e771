package dev.tollgate.engine.decision;

import dev.tollgate.engine.net.HostName;
import dev.tollgate.engine.net.IpAddress;
import dev.tollgate.engine.path.FilePath;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Splits a URL the way a WHATWG parser (the agent's fetch) will, so that a host check in a policy
 * sees the host the request really goes to: userinfo is dropped ({@code
 * https://good.example.com@evil.net/} goes to {@code evil.net}), backslashes count as slashes,
 * percent-escapes in the host are decoded, Unicode hosts become punycode, the host is lowercased
 * and a trailing dot removed. An IP address in any notation ({@code 2852039166}, {@code
 * 0xA9FEA9FE}, {@code [::ffff:a9fe:a9fe]}) becomes its canonical form, classified in {@code ipKind}
 * (empty for a name); a host that looks like an address but is none makes the URL invalid, as it
 * does for the agent's fetch.
 */
final class UrlParts {

  private UrlParts() {}

  /** {@code {type, url, scheme, host, port, path, query, userinfo, ipKind, valid}}. */
  static Map<String, Object> parse(String url) {
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put("type", "url");
    parts.put("url", url);
    String cleaned = url.strip().replace('\\', '/');
    try {
      URI uri = new URI(cleaned);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
      String userinfo = "";
      int at = authority.lastIndexOf('@');
      if (at >= 0) {
        userinfo = authority.substring(0, at);
        authority = authority.substring(at + 1);
      }
      String host = authority;
      long port = -1;
      if (host.startsWith("[")) {
        int close = host.indexOf(']');
        String rest = close >= 0 ? host.substring(close + 1) : "";
        host = close >= 0 ? host.substring(0, close + 1) : host;
        port = parsePort(rest);
      } else {
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
          port = parsePort(host.substring(colon));
          host = host.substring(0, colon);
        }
      }
      host = HostName.canonical(host);
      Optional<IpAddress> address = host.isEmpty() ? Optional.empty() : IpAddress.parseHost(host);
      host = address.map(IpAddress::canonical).orElse(host);
      if (port < 0) {
        port = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : 0;
      }
      parts.put("scheme", scheme);
      parts.put("host", host);
      parts.put("port", port);
      parts.put("path", uri.getRawPath() == null ? "" : FilePath.normalize(uri.getRawPath()));
      parts.put("query", uri.getRawQuery() == null ? "" : uri.getRawQuery());
      parts.put("userinfo", userinfo);
      parts.put("ipKind", address.map(ip -> ip.kind().wireName()).orElse(""));
      parts.put("valid", !scheme.isEmpty() && !host.isEmpty());
    } catch (URISyntaxException | IllegalArgumentException e) {
      parts.put("scheme", "");
      parts.put("host", "");
      parts.put("port", 0L);
      parts.put("path", "");
      parts.put("query", "");
      parts.put("userinfo", "");
      parts.put("ipKind", "");
      parts.put("valid", false);
    }
    return parts;
  }

  private static long parsePort(String colonAndPort) {
    if (colonAndPort.length() <= 1) {
      return -1;
    }
    String digits = colonAndPort.substring(1);
    if (!digits.chars().allMatch(Character::isDigit) || digits.length() > 5) {
      throw new IllegalArgumentException("bad port " + digits);
    }
    return Long.parseLong(digits);
  }
}
