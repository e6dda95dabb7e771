package dev.tollgate.engine.decision;

import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.net.Destination;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scope of tool {@code Egress}: the destinations the identity's ToolScopes name. A connection
 * is in scope when one destination matches its host (or address) and lists its port. No destination
 * at all means no egress: every connection is out of scope.
 */
final class EgressScope {

  private final List<Entry> entries;

  EgressScope(List<Bundle.Egress> destinations) {
    this.entries =
        destinations.stream()
            .map(d -> new Entry(Destination.parse(d.host()), Set.copyOf(d.ports())))
            .toList();
  }

  /** Whether the derived resource ({@link EgressResource}) goes to a destination in scope. */
  boolean admits(Map<String, Object> resource) {
    String host = (String) resource.get("host");
    String ip = (String) resource.get("ip");
    int port = ((Long) resource.get("port")).intValue();
    for (Entry entry : entries) {
      if (entry.ports.contains(port) && entry.destination.matches(host, ip)) {
        return true;
      }
    }
    return false;
  }

  private record Entry(Destination destination, Set<Integer> ports) {}
}
