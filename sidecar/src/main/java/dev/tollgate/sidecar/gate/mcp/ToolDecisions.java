package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.decision.Reason;
import dev.tollgate.engine.model.McpToolName;
import dev.tollgate.sidecar.core.ToolCall;
import dev.tollgate.sidecar.core.ToolCallAuthorizer;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The requests decided as calls ({@code tools/call}, {@code resources/read}, {@code
 * resources/subscribe}, {@code prompts/get}; see {@link McpCallRequest}) and the listings,
 * translated to the decision core and back: a call is decided (held when it needs approval) before
 * it is forwarded, its answer is audited as its outcome, and a listing keeps only what scope and
 * policy let the agent see.
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

  /**
   * Decides a request {@link McpMethods} marks {@code DECIDE}: forwarded when allowed, answered
   * here otherwise.
   */
  void decide(McpPost post, JsonNode message, boolean serverKnown) {
    JsonNode id = message.get("id");
    McpCallRequest request =
        McpCallRequest.of(post.server, JsonRpc.method(message), message.path("params"));
    if (request.problem() != null) {
      refuse(post.server, post.sessionId, id, request, request.problem());
      post.local.add(
          JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Invalid params: " + request.problem()));
      return;
    }
    if (!serverKnown) {
      refuse(
          post.server,
          post.sessionId,
          id,
          request,
          post.engine == null
              ? "no valid policy bundle is loaded"
              : "no MCP server '" + post.server + "' in the policy bundle");
      post.local.add(notFound(id, request));
      return;
    }
    if (request.isTool() && McpToolName.reserved(request.target())) {
      refuse(
          post.server,
          post.sessionId,
          id,
          request,
          "the tool name '"
              + request.target()
              + "' is reserved: Tollgate decides resource reads and prompts under it");
      post.local.add(notFound(id, request));
      return;
    }
    ToolCall call =
        new ToolCall(
                correlationId(id), SOURCE, post.sessionId, request.tool(), request.args(), null)
            .withAnnotations(
                request.isTool() ? catalog.annotations(post.server, request.target()) : null);
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
            || (request.isTool() && !catalog.visible(post.server, post.engine, request.target()));
    if (hidden) {
      post.local.add(notFound(id, request));
    } else if (request.isTool() && denial == McpSettings.Denial.RESULT) {
      post.local.add(JsonRpc.toolError(id, "Tollgate denied this call: " + decision.summary()));
    } else {
      post.local.add(
          JsonRpc.error(
              id,
              JsonRpc.INVALID_PARAMS,
              (request.isTool() ? "Tool call" : request.method())
                  + " denied by Tollgate: "
                  + decision.summary()));
    }
  }

  /**
   * Audits a request too broken (or misdirected) to decide: a denied attempt.
   *
   * @param request what the request asked for, or null when it could not be read
   */
  void refuse(String server, String sessionId, JsonNode id, McpCallRequest request, String why) {
    authorizer.refuse(
        new ToolCall(
            id == null ? "mcp-" + UUID.randomUUID() : correlationId(id),
            SOURCE,
            sessionId,
            request == null ? null : request.tool(),
            request == null ? null : request.args(),
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

  /** A copy of a listing's answer with only the entries the agent may see. */
  ObjectNode visibleEntries(
      String server, PolicyEngine engine, ToolCatalog.Listing listing, JsonNode message) {
    ObjectNode copy = message.deepCopy();
    copy.set("result", catalog.filter(server, engine, listing, message.get("result")));
    return copy;
  }

  /**
   * The same answer for a tool, resource or prompt that does not exist and one the agent may not
   * see (scope cannot be probed): what MCP servers answer for one that does not exist.
   */
  private static ObjectNode notFound(JsonNode id, McpCallRequest request) {
    if (request.isResource()) {
      ObjectNode data = JsonRpc.JSON.createObjectNode().put("uri", request.target());
      return JsonRpc.error(id, JsonRpc.RESOURCE_NOT_FOUND, "Resource not found", data);
    }
    return JsonRpc.error(
        id,
        JsonRpc.INVALID_PARAMS,
        (request.isTool() ? "Unknown tool: " : "Unknown prompt: ") + request.target());
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
