package dev.tollgate.sidecar.http;

/**
 * One door into the decision point (Claude Code hooks, AuthZEN, the MCP gateway...): it translates
 * its protocol to tool calls for the core and back, on the paths it mounts. Adding a gate is one
 * class and one line in the wiring; the server knows no protocol.
 */
public interface Gate extends AutoCloseable {

  /** Registers this gate's handlers on the decision listener. */
  void mount(Routes routes);

  /** Stops what the gate runs itself (threads, clients); the server is stopped already. */
  @Override
  default void close() {}
}
