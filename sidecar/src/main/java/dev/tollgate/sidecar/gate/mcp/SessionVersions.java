package dev.tollgate.sidecar.gate.mcp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Session id → the protocol version its {@code initialize} answer settled, for requests that name
 * none.
 */
final class SessionVersions {

  private static final int MAX_SESSIONS = 10_000;

  private final Map<String, String> versions = new ConcurrentHashMap<>();

  /** The session's version, or {@link McpProtocol#DEFAULT_VERSION} when unknown. */
  String versionOf(String sessionId) {
    String version = sessionId == null ? null : versions.get(sessionId);
    return version == null ? McpProtocol.DEFAULT_VERSION : version;
  }

  void remember(String sessionId, String version) {
    if (versions.size() >= MAX_SESSIONS) {
      versions.clear(); // a bound, not a cache policy: a forgotten session falls back to its header
    }
    versions.put(sessionId, version);
  }

  void forget(String sessionId) {
    versions.remove(sessionId);
  }
}
