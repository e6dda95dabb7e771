package dev.tollgate.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.model.SpecReader.Element;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a ToolScope's {@code spec.gitRemotes}, checking what the CRD schema checks (so the CLI and
 * the webhook catch it for objects that never reach an API server) and what no schema can: a URL
 * that parses, and one remote per upstream URL within a scope.
 */
final class GitRemoteParser {

  /** At most this many remotes per ToolScope (the CRD says the same). */
  static final int MAX_REMOTES = 64;

  private static final int MAX_URL_LENGTH = 2048;
  private static final Pattern NAME = Pattern.compile(FieldRules.GIT_REMOTE_NAME);
  private static final Pattern URL = Pattern.compile(FieldRules.GIT_HTTPS_URL);

  private GitRemoteParser() {}

  /**
   * GitFetch and GitPush are in scope through {@code spec.gitRemotes} only: naming them among the
   * tools would suggest they open every repository, which they do not.
   */
  static void refuseInTools(SpecReader r, List<String> tools) {
    for (int i = 0; i < tools.size(); i++) {
      if (GitRemoteDefinition.isGitTool(tools.get(i))) {
        r.problem(
            "spec.tools[" + i + "]",
            tools.get(i) + " is reserved: list the repositories under spec.gitRemotes instead");
      }
    }
  }

  static List<GitRemoteDefinition> read(SpecReader r, JsonNode spec) {
    List<GitRemoteDefinition> remotes = new ArrayList<>();
    List<Element> elements = r.objectList(spec, "spec", "gitRemotes", false);
    if (elements.size() > MAX_REMOTES) {
      r.problem("spec.gitRemotes", "at most " + MAX_REMOTES + " remotes");
    }
    Map<String, String> names = new HashMap<>();
    Map<String, String> urls = new HashMap<>();
    for (Element element : elements) {
      JsonNode node = element.node();
      String path = element.path();
      int before = r.problemCount();
      r.rejectUnknown(node, path, Set.of("name", "url", "credentialsSecretRef", "caBundle"));
      String name = r.string(node, path, "name", true).orElse("");
      if (!name.isEmpty() && !NAME.matcher(name).matches()) {
        r.problem(
            path + ".name",
            "must be a lowercase DNS label (a-z, 0-9, '-'), at most 63 characters, got '"
                + name
                + "'");
      } else if (!name.isEmpty() && names.putIfAbsent(name, path) != null) {
        r.problem(
            path + ".name",
            "duplicate git remote name '" + name + "' (also at " + names.get(name) + ")");
      }
      String url =
          r.string(node, path, "url", true)
              .flatMap(raw -> canonicalUrl(r, path + ".url", raw))
              .orElse("");
      // The gateway maps an upstream URL to one remote (git's url.<gateway>.insteadOf rewrite):
      // two names for one repository would make that mapping ambiguous.
      if (!url.isEmpty() && urls.putIfAbsent(url, path) != null) {
        r.problem(
            path + ".url",
            "the same repository as " + urls.get(url) + " (" + url + "): one remote per URL");
      }
      McpServerDefinition.SecretKeyRef credentials =
          r.object(node, path, "credentialsSecretRef")
              .map(ref -> secret(r, ref, path + ".credentialsSecretRef"))
              .orElse(null);
      String caBundle =
          r.string(node, path, "caBundle", false)
              .filter(pem -> PemCertificates.check(r, path + ".caBundle", pem))
              .orElse(null);
      if (r.problemCount() == before) {
        remotes.add(new GitRemoteDefinition(name, url, credentials, caBundle));
      }
    }
    return remotes;
  }

  private static McpServerDefinition.SecretKeyRef secret(SpecReader r, JsonNode ref, String path) {
    r.rejectUnknown(ref, path, Set.of("name", "key"));
    String secret = r.string(ref, path, "name", true).orElse("");
    String key = r.string(ref, path, "key", true).orElse("");
    return new McpServerDefinition.SecretKeyRef(secret, key);
  }

  /**
   * The URL in the one spelling the bundle carries, so two scopes that name the same repository
   * with a different host case, an explicit :443 or a trailing slash agree: host lower-cased, the
   * default port dropped, trailing slashes removed. Empty (with a problem) when it is not an https
   * URL of a host.
   */
  static Optional<String> canonicalUrl(SpecReader r, String path, String raw) {
    if (raw.length() > MAX_URL_LENGTH) {
      r.problem(path, "is longer than " + MAX_URL_LENGTH + " characters");
      return Optional.empty();
    }
    if (!URL.matcher(raw).matches()) {
      r.problem(
          path, "must be https://HOST/PATH without user, query or fragment, got '" + raw + "'");
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      r.problem(path, "is not a valid URL: " + e.getMessage());
      return Optional.empty();
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      r.problem(path, "has no valid host: '" + raw + "'");
      return Optional.empty();
    }
    int port = uri.getPort();
    if (port == 0 || port > 65_535) {
      r.problem(path, "has an invalid port: '" + raw + "'");
      return Optional.empty();
    }
    String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (rawPath.endsWith("/")) {
      rawPath = rawPath.substring(0, rawPath.length() - 1);
    }
    return Optional.of(
        "https://"
            + uri.getHost().toLowerCase(Locale.ROOT)
            + (port == -1 || port == 443 ? "" : ":" + port)
            + rawPath);
  }
}
