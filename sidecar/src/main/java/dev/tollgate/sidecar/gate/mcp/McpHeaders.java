package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * The HTTP headers of MCP requests: which origins may call, which headers pass, and their checks
 * against the body.
 */
final class McpHeaders {

  static final String SESSION_ID = "Mcp-Session-Id";
  static final String PROTOCOL_VERSION = "MCP-Protocol-Version";

  private static final Set<String> FORWARDED_REQUEST_HEADERS =
      Set.of("mcp-protocol-version", "mcp-session-id", "last-event-id", "mcp-method", "mcp-name");

  private McpHeaders() {}

  /**
   * Browsers name their page's origin; only pages on this host may reach the gateway (DNS
   * rebinding).
   */
  static boolean localOrigin(String origin) {
    try {
      String host = URI.create(origin).getHost();
      return host != null
          && (host.equals("localhost")
              || host.equals("127.0.0.1")
              || host.equals("[::1]")
              || host.equals("::1"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Copies the MCP headers of the agent's request onto the upstream request; nothing else passes.
   */
  static void forward(Headers from, HttpRequest.Builder to) {
    from.forEach(
        (headerName, values) -> {
          String lower = headerName.toLowerCase(Locale.ROOT);
          if (FORWARDED_REQUEST_HEADERS.contains(lower) || lower.startsWith("mcp-param-")) {
            values.forEach(value -> to.header(headerName, value));
          }
        });
  }

  /**
   * 2026-07-28: {@code Mcp-Method} must be the body's method and {@code Mcp-Name} its {@code
   * params.name} / {@code params.uri} (decoded from {@code =?base64?…?=}); the body's {@code _meta}
   * protocol version, when present, must be the header's. Decisions are taken on the body; a
   * mismatch is refused so nothing downstream trusts a header the body contradicts.
   *
   * @return what does not match, or null
   */
  static String mismatch(Headers headers, JsonNode parsed) {
    if (!parsed.isObject()) {
      return "JSON-RPC batches are not part of protocol version " + McpProtocol.MODERN;
    }
    String method = headers.getFirst("Mcp-Method");
    String bodyMethod = parsed.path("method").asText(null);
    if (bodyMethod == null) {
      return null; // a response: no request metadata
    }
    if (method == null) {
      return "the Mcp-Method header is required";
    }
    if (!method.equals(bodyMethod)) {
      return "Mcp-Method header value '"
          + method
          + "' does not match body value '"
          + bodyMethod
          + "'";
    }
    String meta =
        parsed
            .path("params")
            .path("_meta")
            .path("io.modelcontextprotocol/protocolVersion")
            .asText(null);
    String version = headers.getFirst(PROTOCOL_VERSION);
    if (meta != null && !meta.equals(version)) {
      return "MCP-Protocol-Version header value '"
          + version
          + "' does not match body value '"
          + meta
          + "'";
    }
    if (McpProtocol.NAMED_METHODS.contains(bodyMethod)) {
      JsonNode source =
          parsed.path("params").path(bodyMethod.equals("resources/read") ? "uri" : "name");
      String name = headers.getFirst("Mcp-Name");
      if (name == null) {
        return "the Mcp-Name header is required for " + bodyMethod;
      }
      String decoded = decodeHeader(name);
      if (decoded == null || !source.isTextual() || !decoded.equals(source.asText())) {
        return "Mcp-Name header value '"
            + name
            + "' does not match body value '"
            + source.asText("")
            + "'";
      }
    }
    return null;
  }

  /** A header value, decoded from the {@code =?base64?…?=} sentinel; null when it is not valid. */
  static String decodeHeader(String value) {
    if (value.startsWith("=?base64?") && value.endsWith("?=") && value.length() >= 11) {
      try {
        return new String(
            Base64.getDecoder().decode(value.substring(9, value.length() - 2)),
            StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return value;
  }
}
