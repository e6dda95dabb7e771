package dev.tollgate.webhook.injection;

import dev.tollgate.runtime.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The audit receivers an AgentIdentity may send its pods' copy to instead of the cluster's ({@code
 * spec.auditExport}), as origins (scheme, host, port) the cluster's administrator lists. Without
 * the list an identity could point the copy of its records away from the cluster's collector, or at
 * anything its sidecars can reach (the sidecar's network is not the agent's: the egress gate does
 * not apply to it). Empty: identities may not choose a receiver, and their pods are refused.
 *
 * <p>Origins, not URL prefixes: a path prefix would be matched on text the receiver may decode
 * differently ({@code %2e%2e}), and a host prefix would let {@code collector.example.evil} pass for
 * {@code collector.example}. A host is matched exactly (case aside), so a trailing dot or another
 * spelling of an address is refused, not guessed at.
 *
 * @param origins {@code scheme://host:port} with the port made explicit
 */
public record IdentityReceivers(List<URI> origins) {

  public static final String FLAG = "--audit-export-identity-origins";
  public static final String VARIABLE = "TOLLGATE_AUDIT_EXPORT_IDENTITY_ORIGINS";
  public static final IdentityReceivers NONE = new IdentityReceivers(List.of());

  /**
   * @throws IllegalArgumentException for an origin that is not an http or https URL with a host
   */
  public IdentityReceivers {
    origins =
        origins.stream()
            .map(
                origin -> {
                  if (!web(origin)) {
                    throw new IllegalArgumentException("not an http or https origin: " + origin);
                  }
                  return of(origin);
                })
            .toList();
  }

  /** The comma-separated origins of {@link #VARIABLE}; each bad one is a problem naming it. */
  static IdentityReceivers read(Settings settings) {
    List<URI> origins = new ArrayList<>();
    for (String text : settings.list(VARIABLE, "")) {
      URI origin = origin(text);
      if (origin == null) {
        settings.problem(
            VARIABLE,
            "must list origins such as https://collector.example:4318 (scheme, host, optional"
                + " port; no path, credentials, query or fragment), got '"
                + text
                + "'");
      } else {
        origins.add(origin);
      }
    }
    return new IdentityReceivers(origins);
  }

  private static URI origin(String text) {
    try {
      URI uri = new URI(text);
      boolean bare =
          uri.getRawUserInfo() == null
              && uri.getRawQuery() == null
              && uri.getRawFragment() == null
              && (uri.getRawPath() == null
                  || uri.getRawPath().isEmpty()
                  || uri.getRawPath().equals("/"));
      return bare && web(uri) ? uri : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static boolean web(URI uri) {
    return uri.getScheme() != null
        && (uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
        && uri.getHost() != null;
  }

  /** The origin of a web URL, lower case, with its port explicit. */
  private static URI of(URI url) {
    String scheme = url.getScheme().toLowerCase(Locale.ROOT);
    int port = url.getPort() >= 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
    return URI.create(scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + ":" + port);
  }

  /** Whether {@code endpoint}'s origin is one of the listed ones. */
  public boolean allows(URI endpoint) {
    return web(endpoint) && endpoint.getRawUserInfo() == null && origins.contains(of(endpoint));
  }

  /** The list as the flag takes it, or "none". */
  public String describe() {
    return origins.isEmpty()
        ? "none"
        : origins.stream().map(URI::toString).collect(Collectors.joining(","));
  }
}
