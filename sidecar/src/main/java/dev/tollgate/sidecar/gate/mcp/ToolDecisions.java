package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.decision.Reason;
import dev.tollgate.sidecar.core.ToolCall;
import dev.tollgate.sidecar.core.ToolCallAuthorizer;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * {@code tools/call} and {@code tools/list} translated to the decision core and back: a call is
 * decided (held when it needs approval) before it is forwarded, its answer is audited as its
 * outcome, and a tool list keeps only what scope and policy let the agent see.
 */
final class ToolDecisions {

  static final String SOURCE = "mcp";

  private static final Logger LOG = Logger.getLogger(ToolDecisions.class.getName());

  private final ToolCallAuthorizer authorizer;
  private final ToolCatalog catalog;
  private final McpSettings.Denial denial;

  ToolDecisions(ToolCallAuthorizer authorizer, ToolCatalog catalog, McpSettings.Denial denial) {
    this.authorizer = authorizer;
    this.catalog = catalog;
    this.denial = denial;
  }

  /** Decides a {@code tools/call} request: forwarded when allowed, answered here otherwise. */
  void decide(McpPost post, JsonNode message, boolean serverKnown) {
    JsonNode id = message.get("id");
    JsonNode params = message.path("params");
    JsonNode nameNode = params.path("name");
    JsonNode arguments =
        params.has("arguments") ? params.get("arguments") : JsonRpc.JSON.createObjectNode();
    if (!nameNode.isTextual() || nameNode.asText().isEmpty() || !arguments.isObject()) {
      refuse(
          post.server,
          post.sessionId,
          id,
          params,
          !nameNode.isTextual() || nameNode.asText().isEmpty()
              ? "tools/call without a tool name"
              : "tools/call arguments must be a JSON object");
      post.local.add(
          JsonRpc.error(
              id,
              JsonRpc.INVALID_PARAMS,
              "Invalid params: "
                  + (!arguments.isObject() ? "arguments must be an object" : "name is required")));
      return;
    }
    String tool = nameNode.asText();
    if (!serverKnown) {
      refuse(
          post.server,
          post.sessionId,
          id,
          params,
          post.engine == null
              ? "no valid policy bundle is loaded"
              : "no MCP server '" + post.server + "' in the policy bundle");
      post.local.add(unknownTool(id, tool));
      return;
    }
    ToolCall call =
        new ToolCall(
                correlationId(id),
                SOURCE,
                post.sessionId,
                ToolCatalog.agentSideName(post.server, tool),
                arguments,
                null)
            .withAnnotations(catalog.annotations(post.server, tool));
    // Held like a hook call when it needs approval (on the gateway's own pool, never the decision
    // threads).
    Decision decision = authorizer.authorizeHeld(call, "").join();
    if (decision.outcome() == Outcome.ALLOW) {
      post.calls.put(JsonRpc.idKey(id), call);
      post.forward(message);
      return;
    }
    boolean hidden =
        decision.reasons().contains(Reason.OutOfScope)
            || post.engine == null
            || !catalog.visible(post.server, post.engine, tool);
    if (hidden) {
      post.local.add(unknownTool(id, tool));
    } else if (denial == McpSettings.Denial.RESULT) {
      post.local.add(JsonRpc.toolError(id, "Tollgate denied this call: " + decision.summary()));
    } else {
      post.local.add(
          JsonRpc.error(
              id, JsonRpc.INVALID_PARAMS, "Tool call denied by Tollgate: " + decision.summary()));
    }
  }

  /** Audits a request too broken (or misdirected) to decide: a denied attempt. */
  void refuse(String server, String sessionId, JsonNode id, JsonNode params, String why) {
    String tool =
        params != null && params.path("name").isTextual()
            ? ToolCatalog.agentSideName(server, params.get("name").asText())
            : null;
    JsonNode args =
        params != null && params.path("arguments").isObject() ? params.get("arguments") : null;
    authorizer.refuse(
        new ToolCall(
            id == null ? "mcp-" + UUID.randomUUID() : correlationId(id),
            SOURCE,
            sessionId,
            tool,
            args,
            null),
        why);
  }

  /** The upstream's answer to a forwarded call, audited as the call's outcome. */
  void answered(ToolCall call, JsonNode message) {
    JsonNode error = message.get("error");
    JsonNode result = message.get("result");
    if (error != null) {
      authorizer.recordOutcome(
          call, true, error.path("message").isTextual() ? error.get("message") : error);
    } else if (result != null && result.path("isError").asBoolean(false)) {
      authorizer.recordOutcome(call, true, resultText(result));
    } else if (result != null && result.has("inputRequests") && !result.has("content")) {
      // 2026-07-28 multi round-trip: not run yet; the retry with the answers is decided again.
      LOG.fine("tools/call " + call.correlationId() + " asks the client for input");
    } else {
      authorizer.recordOutcome(call, false, null);
    }
  }

  /** A forwarded call that got no answer: audited as failed. */
  void unanswered(ToolCall call, String why) {
    authorizer.recordOutcome(call, true, JsonRpc.JSON.getNodeFactory().textNode(why));
  }

  /** A copy of a tools/list answer with only the tools the agent may see. */
  ObjectNode visibleTools(String server, PolicyEngine engine, JsonNode message) {
    ObjectNode copy = message.deepCopy();
    copy.set("result", catalog.filter(server, engine, message.get("result")));
    return copy;
  }

  /**
   * The same answer for a tool that does not exist and one the agent may not see (scope cannot be
   * probed).
   */
  private static ObjectNode unknownTool(JsonNode id, String tool) {
    return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Unknown tool: " + tool);
  }

  private static String correlationId(JsonNode id) {
    String text = JsonRpc.idText(id);
    return text.isEmpty() ? "mcp-" + UUID.randomUUID() : text;
  }

  private static JsonNode resultText(JsonNode result) {
    StringBuilder text = new StringBuilder();
    for (JsonNode block : result.path("content")) {
      if (block.path("text").isTextual()) {
        if (text.length() > 0) {
          text.append('\n');
        }
        text.append(block.get("text").asText());
      }
    }
    return JsonRpc.JSON
        .getNodeFactory()
        .textNode(text.length() == 0 ? "tool returned isError" : text.toString());
  }
}
