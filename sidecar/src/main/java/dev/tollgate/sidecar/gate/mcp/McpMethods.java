package dev.tollgate.sidecar.gate.mcp;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the gateway does with each client-to-server method: the one list, so that a method the
 * gateway does not know is refused rather than passed by accident.
 *
 * <ul>
 *   <li>{@link Handling#DECIDE}: decided as a call before it is forwarded ({@code tools/call},
 *       {@code resources/read}, {@code resources/subscribe}, {@code prompts/get}; see {@link
 *       McpCallRequest} for the names and arguments);
 *   <li>{@link Handling#FILTER}: forwarded, the answer keeps only what could be allowed ({@code
 *       tools/list}, {@code resources/list}, {@code resources/templates/list}, {@code
 *       prompts/list});
 *   <li>{@link Handling#PASS}: the lifecycle and the protocol's utilities, which read or change
 *       nothing of the upstream's data ({@code ping}, {@code logging/setLevel}, {@code
 *       completion/complete}, {@code resources/unsubscribe}, ...) and any client notification;
 *   <li>{@link Handling#UNKNOWN}: anything else, refused unless {@code --mcp-other-methods allow};
 *   <li>{@link Handling#DISGUISED}: a spelling of a known method that is not the method (case,
 *       spaces, control characters): refused whatever the settings say, since a lenient upstream
 *       might read it as the method it resembles.
 * </ul>
 */
final class McpMethods {

  /** How a method is handled. */
  enum Handling {
    DECIDE,
    FILTER,
    PASS,
    UNKNOWN,
    DISGUISED
  }

  static final String NOTIFICATIONS = "notifications/";

  private static final Map<String, Handling> KNOWN =
      Map.ofEntries(
          Map.entry("tools/call", Handling.DECIDE),
          Map.entry("resources/read", Handling.DECIDE),
          Map.entry("resources/subscribe", Handling.DECIDE),
          Map.entry("prompts/get", Handling.DECIDE),
          Map.entry("tools/list", Handling.FILTER),
          Map.entry("resources/list", Handling.FILTER),
          Map.entry("resources/templates/list", Handling.FILTER),
          Map.entry("prompts/list", Handling.FILTER),
          Map.entry("initialize", Handling.PASS),
          Map.entry("ping", Handling.PASS),
          Map.entry("server/discover", Handling.PASS),
          Map.entry(McpProtocol.LISTEN, Handling.PASS),
          Map.entry("logging/setLevel", Handling.PASS),
          Map.entry("completion/complete", Handling.PASS),
          Map.entry("resources/unsubscribe", Handling.PASS));

  /** The shape every method the protocol defines has; anything else is a disguise. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9_./-]*");

  private static final Set<String> FOLDED =
      KNOWN.keySet().stream().map(McpMethods::fold).collect(Collectors.toSet());

  private McpMethods() {}

  static Handling of(String method) {
    Handling known = KNOWN.get(method);
    if (known != null) {
      return known;
    }
    if (!PLAIN.matcher(method).matches()
        || FOLDED.contains(fold(method))
        || fold(method).startsWith(NOTIFICATIONS) && !method.startsWith(NOTIFICATIONS)) {
      return Handling.DISGUISED;
    }
    return method.startsWith(NOTIFICATIONS) ? Handling.PASS : Handling.UNKNOWN;
  }

  /**
   * Client notifications may only come as notifications: one with an id is a request in disguise.
   */
  static boolean notificationOnly(String method) {
    return method.startsWith(NOTIFICATIONS);
  }

  /**
   * What a lenient upstream might still match: case, whitespace and repeated or trailing slashes
   * dropped.
   */
  private static String fold(String method) {
    String folded = method.replaceAll("\\s+", "").replaceAll("/+", "/").toLowerCase(Locale.ROOT);
    return folded.endsWith("/") ? folded.substring(0, folded.length() - 1) : folded;
  }
}
