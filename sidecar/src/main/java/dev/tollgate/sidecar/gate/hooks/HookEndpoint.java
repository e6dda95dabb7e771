package dev.tollgate.sidecar.gate.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.hook.BadHookInputException;
import dev.tollgate.engine.hook.HookInput;
import dev.tollgate.engine.hook.HookInputParser;
import dev.tollgate.sidecar.core.ToolCall;
import dev.tollgate.sidecar.core.ToolCallAuthorizer;
import dev.tollgate.sidecar.http.Exchanges;
import dev.tollgate.sidecar.http.Gate;
import dev.tollgate.sidecar.http.Routes;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code POST /v1/hooks/claude-code}: Claude Code's hook input in, its PreToolUse answer out
 * (docs/design.md §4.1). Anything it cannot read gets a 400 whose body is still a deny, and is
 * audited as a denied attempt. Translates the hook protocol to {@link ToolCall}s and back, nothing
 * else.
 */
public final class HookEndpoint implements HttpHandler, Gate {

  static final String PATH = "/v1/hooks/claude-code";
  static final String SOURCE = "claude-code-hook";
  static final String RUNTIME = "ClaudeCode";

  private final ToolCallAuthorizer authorizer;
  private final int maxBodyBytes;
  private final Function<String, JsonNode> mcpAnnotations;

  /**
   * @param mcpAnnotations what the MCP gateway knows of an {@code mcp__server__tool}'s annotations
   *     (null when nothing), so a hook decides an MCP call as the gateway would
   */
  public HookEndpoint(
      ToolCallAuthorizer authorizer, int maxBodyBytes, Function<String, JsonNode> mcpAnnotations) {
    this.authorizer = authorizer;
    this.maxBodyBytes = maxBodyBytes;
    this.mcpAnnotations = mcpAnnotations;
  }

  @Override
  public void mount(Routes routes) {
    routes.guarded(PATH, this);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    JsonNode json = HookExchanges.read(exchange, PATH, maxBodyBytes, this::refuse);
    if (json == null) {
      return;
    }
    HookInput input;
    try {
      input = HookInputParser.parse(json);
    } catch (BadHookInputException e) {
      refuse(exchange, 400, json, e.getMessage());
      return;
    }
    ToolCall call =
        new ToolCall(
                HookExchanges.correlationId(input.toolUseId()),
                SOURCE,
                input.sessionId(),
                input.toolName(),
                input.toolInput(),
                input.cwd())
            .withAnnotations(mcpAnnotations.apply(input.toolName()))
            .withAgent(
                RUNTIME,
                HookExchanges.text(json, "agent_id"),
                HookExchanges.text(json, "agent_type"));
    switch (input.hookEventName()) {
      case HookInput.PRE_TOOL_USE -> {
        CompletableFuture<Decision> decision =
            authorizer.authorizeHeld(call, input.permissionMode());
        if (decision.isDone()) {
          Exchanges.sendJson(exchange, 200, preToolUseAnswer(decision.join()));
          return;
        }
        Exchanges.detach(exchange);
        decision.whenComplete(
            (held, error) ->
                HookExchanges.answerLater(exchange, held, error, HookEndpoint::preToolUseAnswer));
      }
      case HookInput.POST_TOOL_USE -> {
        authorizer.recordOutcome(call, false, input.toolResponse());
        Exchanges.sendJson(exchange, 200, Exchanges.JSON.createObjectNode());
      }
      default -> {
        // Claude Code names the failure in "error"; older inputs carried it in tool_response.
        authorizer.recordOutcome(
            call,
            true,
            input.error() != null
                ? Exchanges.JSON.getNodeFactory().textNode(input.error())
                : input.toolResponse());
        Exchanges.sendJson(exchange, 200, Exchanges.JSON.createObjectNode());
      }
    }
  }

  private void refuse(HttpExchange exchange, int status, JsonNode json, String why)
      throws IOException {
    String tool = HookExchanges.text(json, "tool_name");
    String toolUseId = HookExchanges.text(json, "tool_use_id");
    JsonNode args = HookExchanges.toolInput(json);
    Decision decision =
        authorizer.refuse(
            new ToolCall(HookExchanges.correlationId(toolUseId), SOURCE, null, tool, args, null),
            why);
    Exchanges.sendJson(exchange, status, preToolUseAnswer(decision));
  }

  /** What a request gets when the decision point itself failed: a deny Claude Code can read. */
  public static ObjectNode internalErrorAnswer() {
    return preToolUseAnswer(Decision.badRequest("internal error in the decision point", ""));
  }

  /** Exactly the shape Claude Code reads; "allow" only when the enforced decision is allow. */
  static ObjectNode preToolUseAnswer(Decision decision) {
    ObjectNode answer = Exchanges.JSON.createObjectNode();
    ObjectNode output = answer.putObject("hookSpecificOutput");
    output.put("hookEventName", HookInput.PRE_TOOL_USE);
    output.put("permissionDecision", decision.outcome() == Outcome.ALLOW ? "allow" : "deny");
    output.put("permissionDecisionReason", "Tollgate: " + decision.summary());
    return answer;
  }

  /**
   * A top-level string field of the input, else null: the sub-agent fields ({@code agent_id},
   * {@code agent_type}) that a call made inside a sub-agent carries, for {@code context}.
   */
}
