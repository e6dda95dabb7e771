package dev.tollgate.sidecar.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The correlation ids of the calls this sidecar allowed and whose outcome has not been reported
 * yet. Any process in the pod can post a PostToolUse to the loopback endpoint, so an executed or
 * failed report is only the reporter's word: one that no allowed call matches is recorded as
 * unmatched. Bounded: the oldest ids are forgotten first (their late reports count as unmatched).
 */
final class AllowedCalls {

  private static final int LIMIT = 8_192;

  private final Map<String, Boolean> ids =
      new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > LIMIT;
        }
      };

  synchronized void allowed(String correlationId) {
    if (correlationId != null && !correlationId.isEmpty()) {
      ids.put(correlationId, Boolean.TRUE);
    }
  }

  /** Whether a call with this id was allowed and not reported yet; a report is matched once. */
  synchronized boolean reported(String correlationId) {
    return correlationId != null && ids.remove(correlationId) != null;
  }
}
