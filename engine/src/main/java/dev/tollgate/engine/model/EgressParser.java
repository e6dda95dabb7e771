package dev.tollgate.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.model.SpecReader.Element;
import dev.tollgate.engine.net.Destination;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reads a ToolScope's {@code spec.egress}, checking what the CRD schema checks and more. */
final class EgressParser {

  /** At most this many destinations per ToolScope (the CRD says the same). */
  static final int MAX_DESTINATIONS = 256;

  private EgressParser() {}

  /**
   * Tool {@code Egress} is in scope through {@code spec.egress} only: naming it among the tools
   * would suggest it opens every destination, which it does not.
   */
  static void refuseInTools(SpecReader r, List<String> tools) {
    for (int i = 0; i < tools.size(); i++) {
      if (tools.get(i).equals(EgressDefinition.TOOL)) {
        r.problem(
            "spec.tools[" + i + "]",
            "Egress is reserved: list the destinations under spec.egress instead");
      }
    }
  }

  static List<EgressDefinition> read(SpecReader r, JsonNode spec) {
    List<EgressDefinition> destinations = new ArrayList<>();
    List<Element> elements = r.objectList(spec, "spec", "egress", false);
    if (elements.size() > MAX_DESTINATIONS) {
      r.problem("spec.egress", "at most " + MAX_DESTINATIONS + " destinations");
    }
    for (Element element : elements) {
      JsonNode node = element.node();
      String path = element.path();
      r.rejectUnknown(node, path, Set.of("host", "ports"));
      String host = r.string(node, path, "host", true).orElse("");
      String canonical = "";
      if (!host.isEmpty()) {
        try {
          canonical = Destination.parse(host).canonical();
        } catch (IllegalArgumentException e) {
          r.problem(path + ".host", e.getMessage());
        }
      }
      TreeSet<Integer> ports = ports(r, node, path + ".ports");
      if (!canonical.isEmpty() && !ports.isEmpty()) {
        destinations.add(new EgressDefinition(canonical, List.copyOf(ports)));
      }
    }
    return destinations;
  }

  private static TreeSet<Integer> ports(SpecReader r, JsonNode node, String path) {
    TreeSet<Integer> ports = new TreeSet<>();
    JsonNode list = node.get("ports");
    if (list == null || list.isNull()) {
      r.problem(path, "is required: list the ports, such as [443]");
      return ports;
    }
    if (!list.isArray() || list.isEmpty()) {
      r.problem(path, "must be a non-empty list of ports");
      return ports;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode port = list.get(i);
      if (!port.isIntegralNumber() || !port.canConvertToInt() || port.asInt() < 1) {
        r.problem(path + "[" + i + "]", "must be a port number from 1 to 65535");
      } else if (port.asInt() > 65_535) {
        r.problem(path + "[" + i + "]", "must be a port number from 1 to 65535");
      } else {
        ports.add(port.asInt());
      }
    }
    return ports;
  }
}
