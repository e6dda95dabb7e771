package dev.tollgate.sidecar.gate.mcp;

/** Told how each request to an MCP server went (the metrics listen). */
public interface McpUpstreamMeter {

  /**
   * @param server the bundle's name of the MCP server (few: the identity's declared servers)
   * @param outcome {@code ok}, {@code http_4xx}, {@code http_5xx}, {@code connect_timeout}, {@code
   *     timeout}, {@code refused} or {@code io_error}
   * @param nanos from sending the request to the response's headers or the failure
   */
  void upstreamRequest(String server, String outcome, long nanos);

  McpUpstreamMeter NONE = (server, outcome, nanos) -> {};
}
