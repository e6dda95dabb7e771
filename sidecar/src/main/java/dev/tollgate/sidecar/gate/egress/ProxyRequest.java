package dev.tollgate.sidecar.gate.egress;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A proxy request's head: {@code CONNECT host:port} (a tunnel) or a plain HTTP request in absolute
 * form ({@code GET http://host[:port]/path}). Everything else is refused: an origin-form request
 * (the client did not mean a proxy), an {@code https://} absolute URL (use CONNECT), userinfo in
 * the URL (credentials, and the classic way to make a host check read the wrong host), a head over
 * {@value #MAX_HEAD} bytes, folded or malformed header lines.
 *
 * @param host the host as the request names it, brackets of an IPv6 literal removed
 * @param rest bytes the agent sent after the head (a body, an early ClientHello)
 */
record ProxyRequest(
    String method,
    boolean connect,
    String host,
    int port,
    String pathAndQuery,
    String version,
    List<String[]> headers,
    byte[] rest) {

  /** The longest head read; longer is refused. */
  static final int MAX_HEAD = 16 * 1024;

  // Hop-by-hop and proxy headers that must not reach the destination; Host is set from the URL.
  private static final Set<String> DROPPED =
      Set.of("host", "connection", "proxy-connection", "proxy-authorization", "keep-alive");

  /** What the request was for, as the resource's scheme: https, tcp (other tunnels) or http. */
  String scheme() {
    if (!connect) {
      return "http";
    }
    return port == 443 ? "https" : "tcp";
  }

  /**
   * The head sent to the destination of a plain HTTP request: origin form, Host from the URL, no
   * proxy headers, and {@code Connection: close} so that one connection carries one decided
   * request.
   */
  byte[] upstreamHead() {
    StringBuilder out = new StringBuilder();
    out.append(method).append(' ').append(pathAndQuery).append(' ').append(version).append("\r\n");
    String authority = host.contains(":") ? "[" + host + "]" : host;
    out.append("Host: ").append(authority).append(port == 80 ? "" : ":" + port).append("\r\n");
    for (String[] header : headers) {
      if (!DROPPED.contains(header[0].toLowerCase(Locale.ROOT))) {
        out.append(header[0]).append(": ").append(header[1]).append("\r\n");
      }
    }
    out.append("Connection: close\r\n\r\n");
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Reads and parses one head; the socket's read timeout bounds each read. */
  static ProxyRequest read(InputStream in) throws IOException, MalformedRequestException {
    byte[] buffer = new byte[MAX_HEAD + 4096];
    int length = 0;
    int end = -1;
    while (end < 0) {
      if (length >= MAX_HEAD) {
        throw new MalformedRequestException("request head larger than 16 KiB");
      }
      int n = in.read(buffer, length, buffer.length - length);
      if (n < 0) {
        throw new MalformedRequestException(
            length == 0 ? "connection closed before a request" : "request head cut short");
      }
      int from = Math.max(0, length - 3);
      length += n;
      end = headEnd(buffer, from, length);
      if (end > MAX_HEAD) {
        throw new MalformedRequestException("request head larger than 16 KiB");
      }
    }
    String head = new String(buffer, 0, end, StandardCharsets.ISO_8859_1);
    byte[] rest = Arrays.copyOfRange(buffer, end + 4, length);
    return parse(head, rest);
  }

  private static int headEnd(byte[] b, int from, int length) {
    for (int i = from; i + 3 < length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  static ProxyRequest parse(String head, byte[] rest) throws MalformedRequestException {
    String[] lines = head.split("\r\n", -1);
    String[] parts = lines[0].split(" ", -1);
    if (parts.length != 3 || !parts[0].matches("[A-Z]{1,20}")) {
      throw new MalformedRequestException("bad request line");
    }
    String version = parts[2];
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      throw new MalformedRequestException("unsupported HTTP version '" + version + "'");
    }
    List<String[]> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      int colon = line.indexOf(':');
      if (colon <= 0
          || line.indexOf('\n') >= 0
          || line.indexOf('\r') >= 0
          || !line.substring(0, colon).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new MalformedRequestException("malformed header line " + i);
      }
      headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
    }
    String method = parts[0];
    String target = parts[1];
    if (method.equals("CONNECT")) {
      Authority authority = Authority.parse(target, -1);
      return new ProxyRequest(
          method, true, authority.host, authority.port, "", version, headers, rest);
    }
    String lower = target.toLowerCase(Locale.ROOT);
    if (lower.startsWith("https://")) {
      throw new MalformedRequestException("use CONNECT for https:// destinations");
    }
    if (!lower.startsWith("http://")) {
      throw new MalformedRequestException(
          "not a proxy request: the target must be an absolute http:// URL or CONNECT host:port");
    }
    String afterScheme = target.substring("http://".length());
    int slash = indexOfAny(afterScheme, "/?#");
    String authorityText = slash < 0 ? afterScheme : afterScheme.substring(0, slash);
    String path = slash < 0 ? "/" : afterScheme.substring(slash);
    if (path.startsWith("?")) {
      path = "/" + path;
    }
    int fragment = path.indexOf('#');
    if (fragment >= 0) {
      path = path.substring(0, fragment);
    }
    Authority authority = Authority.parse(authorityText, 80);
    return new ProxyRequest(
        method, false, authority.host, authority.port, path, version, headers, rest);
  }

  private static int indexOfAny(String text, String chars) {
    for (int i = 0; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** {@code host[:port]}; an IPv6 literal in brackets. */
  private record Authority(String host, int port) {

    static Authority parse(String text, int defaultPort) throws MalformedRequestException {
      if (text.indexOf('@') >= 0) {
        throw new MalformedRequestException("userinfo in the proxy target is refused");
      }
      String host;
      String portText;
      if (text.startsWith("[")) {
        int close = text.indexOf(']');
        if (close < 0) {
          throw new MalformedRequestException("unclosed IPv6 address in '" + text + "'");
        }
        host = text.substring(1, close);
        String after = text.substring(close + 1);
        if (!after.isEmpty() && !after.startsWith(":")) {
          throw new MalformedRequestException("bad authority '" + text + "'");
        }
        portText = after.isEmpty() ? "" : after.substring(1);
      } else {
        int colon = text.lastIndexOf(':');
        if (colon >= 0 && text.indexOf(':') != colon) {
          throw new MalformedRequestException(
              "an IPv6 address must be in brackets: '" + text + "'");
        }
        host = colon < 0 ? text : text.substring(0, colon);
        portText = colon < 0 ? "" : text.substring(colon + 1);
      }
      if (host.isEmpty() || host.length() > 255) {
        throw new MalformedRequestException("missing or overlong host in '" + text + "'");
      }
      int port;
      if (portText.isEmpty()) {
        if (defaultPort < 0) {
          throw new MalformedRequestException("CONNECT needs host:port, got '" + text + "'");
        }
        port = defaultPort;
      } else if (portText.length() > 5 || !portText.chars().allMatch(Character::isDigit)) {
        throw new MalformedRequestException("bad port in '" + text + "'");
      } else {
        port = Integer.parseInt(portText);
      }
      if (port < 1 || port > 65_535) {
        throw new MalformedRequestException("port out of range in '" + text + "'");
      }
      return new Authority(host, port);
    }
  }
}
