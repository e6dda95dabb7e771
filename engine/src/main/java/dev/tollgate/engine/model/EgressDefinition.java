package dev.tollgate.engine.model;

import java.util.List;

/**
 * A network destination a ToolScope puts in scope of tool {@code Egress}.
 *
 * @param host the canonical destination host (see the engine's net.Destination)
 * @param ports the ports, ascending and distinct
 */
public record EgressDefinition(String host, List<Integer> ports) {

  /** The reserved tool name under which every connection through the egress gate is decided. */
  public static final String TOOL = "Egress";

  public EgressDefinition {
    ports = List.copyOf(ports);
  }
}
