package dev.tollgate.engine.decision;

import dev.tollgate.engine.path.FilePath;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of an MCP resource URI ({@code resources/read}, {@code resources/subscribe}) that a
 * policy checks. MCP servers commonly percent-decode a URI's path before they look it up, so the
 * {@code path} given to policies is decoded first and normalized after: {@code
 * file:///workspace/%2e%2e/etc/passwd} has the path {@code /etc/passwd}, and a prefix check on it
 * cannot be walked around with escapes or {@code ..}. The URI itself stays as sent, in {@code uri}.
 */
final class ResourceUri {

  private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):");

  private ResourceUri() {}

  /**
   * {@code {uri, scheme, host, path, query}}; {@code host} and {@code query} as {@link UrlParts}
   * reads them (empty when it cannot), scheme and path read by hand.
   */
  static Map<String, Object> parse(String uri) {
    Map<String, Object> url = UrlParts.parse(uri);
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put("uri", uri);
    parts.put("scheme", scheme(uri));
    parts.put("host", url.get("host"));
    String rawPath = rawPath(uri);
    String decoded;
    try {
      decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidToolInputException("resource uri has a broken percent-escape: " + uri);
    }
    parts.put("path", decoded.isEmpty() ? "" : FilePath.normalize(decoded.replace('\\', '/')));
    parts.put("query", url.get("query"));
    return parts;
  }

  /** The lower-cased scheme, or empty when the URI does not start with one. */
  private static String scheme(String uri) {
    Matcher scheme = SCHEME.matcher(uri.strip());
    return scheme.lookingAt() ? scheme.group(1).toLowerCase(Locale.ROOT) : "";
  }

  /**
   * The path as written: after {@code scheme://authority} or {@code scheme:}, before {@code ?} or
   * {@code #}. Read by hand rather than by Java's URI parser, which refuses many URIs servers
   * accept (spaces, templates' braces) and would leave such a path empty: empty never matches a
   * prefix, but a policy should see what the server will read.
   */
  private static String rawPath(String uri) {
    String rest = uri.strip();
    int colon = rest.indexOf(':');
    int slash = rest.indexOf('/');
    if (colon > 0 && (slash < 0 || colon < slash)) {
      rest = rest.substring(colon + 1);
    }
    rest = rest.replace('\\', '/');
    if (rest.startsWith("//")) {
      int end = rest.indexOf('/', 2);
      rest = end < 0 ? "" : rest.substring(end);
    }
    int cut = rest.length();
    for (char stop : new char[] {'?', '#'}) {
      int at = rest.indexOf(stop);
      if (at >= 0) {
        cut = Math.min(cut, at);
      }
    }
    return rest.substring(0, cut);
  }
}
