package dev.tollgate.webhook.injection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.SidecarContract;
import dev.tollgate.api.v1alpha1.FieldPatterns;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Claude Code's managed MCP configuration ({@code /etc/claude-code/managed-mcp.json}): exactly the
 * identity's MCP servers, each at the sidecar's gateway. While this file exists Claude Code takes
 * its MCP servers from it alone: a repository's {@code .mcp.json}, the user's and the project's
 * servers and {@code --mcp-config} are all ignored or refused (checked against Claude Code 2.1.197,
 * agent-tests/ClaudeCodeLockdownIT), so no MCP server runs outside the gateway. An identity without
 * MCP servers gets an empty list, which still takes that control.
 */
public final class ManagedMcpConfig {

  /** The gateway's path prefix (the sidecar's McpGateway serves {@code /mcp/<server>}). */
  static final String GATEWAY_PATH = "/mcp/";

  /** What a ToolScope admits as a server name: anything else could change the URL. */
  private static final Pattern SERVER_NAME = Pattern.compile(FieldPatterns.MCP_SERVER_NAME);

  private static final ObjectMapper JSON = new ObjectMapper();

  private ManagedMcpConfig() {}

  public static String json(Collection<String> servers) {
    return json(servers, SidecarContract.decisionUrl());
  }

  /** The same with the sidecar at {@code decisionUrl}: what the agent tests use outside a pod. */
  public static String json(Collection<String> servers, String decisionUrl) {
    ObjectNode config = JSON.createObjectNode();
    ObjectNode entries = config.putObject("mcpServers");
    for (String server : servers) {
      ObjectNode entry = entries.putObject(server);
      entry.put("type", "http");
      entry.put("url", url(decisionUrl, server));
    }
    return config.toPrettyString() + "\n";
  }

  /** Where the sidecar's gateway serves {@code server}. */
  public static String url(String decisionUrl, String server) {
    if (!SERVER_NAME.matcher(server).matches()) {
      throw new IllegalArgumentException("not an MCP server name: " + server);
    }
    return decisionUrl + GATEWAY_PATH + server;
  }
}
