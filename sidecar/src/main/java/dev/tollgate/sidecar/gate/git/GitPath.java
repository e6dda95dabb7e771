package dev.tollgate.sidecar.gate.git;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request path of git's smart HTTP protocol under the gateway: {@code /git/<remote>/info/refs},
 * {@code /git/<remote>/git-upload-pack} or {@code /git/<remote>/git-receive-pack}. The dumb
 * protocol's other paths (objects/, HEAD) are not served: every read goes through a decided
 * upload-pack.
 *
 * @param remote the remote's name as the bundle lists it
 * @param endpoint which of the three endpoints
 */
record GitPath(String remote, Endpoint endpoint) {

  /** The smart HTTP endpoints. */
  enum Endpoint {
    INFO_REFS,
    UPLOAD_PACK,
    RECEIVE_PACK
  }

  static final String PREFIX = "/git/";

  // A remote is a DNS label (ToolScope validation); an optional ".git" is accepted so that a URL
  // rewritten from https://host/acme/shop.git still names it.
  private static final Pattern PATH =
      Pattern.compile(
          "/git/([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.git)?/"
              + "(info/refs|git-upload-pack|git-receive-pack)");

  /** The path's remote and endpoint, or empty when it is none of the three. */
  static Optional<GitPath> parse(String path) {
    Matcher matcher = PATH.matcher(path == null ? "" : path);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    Endpoint endpoint =
        switch (matcher.group(4)) {
          case "info/refs" -> Endpoint.INFO_REFS;
          case "git-upload-pack" -> Endpoint.UPLOAD_PACK;
          default -> Endpoint.RECEIVE_PACK;
        };
    return Optional.of(new GitPath(matcher.group(1), endpoint));
  }

  /** The remote named by a path that is no endpoint, for the audit and the 404 (may be empty). */
  static String remoteOf(String path) {
    if (path == null || !path.startsWith(PREFIX)) {
      return "";
    }
    String rest = path.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }
}
