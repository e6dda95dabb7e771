package dev.tollgate.sidecar.gate.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.hook.BadHookInputException;
import dev.tollgate.engine.hook.codex.CanonicalCall;
import dev.tollgate.engine.hook.codex.CodexHookInput;
import dev.tollgate.engine.hook.codex.CodexHookParser;
import dev.tollgate.sidecar.core.ToolCall;
import dev.tollgate.sidecar.core.ToolCallAuthorizer;
import dev.tollgate.sidecar.http.Exchanges;
import dev.tollgate.sidecar.http.Gate;
import dev.tollgate.sidecar.http.Routes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code POST /v1/hooks/codex}: the Codex CLI's hook input in, its PreToolUse answer out. Codex
 * (0.169, 0.171) blocks a call on {@code permissionDecision: "deny"} with a non-empty reason and
 * lets it run on an empty object; it also lets it run on {@code "allow"} without an updatedInput
 * (reported as a failed hook), on {@code "ask"}, and on anything unreadable, so an allow is exactly
 * {@code {}} and everything else is a deny with a reason.
 *
 * <p>One Codex call can be several canonical calls (an {@code apply_patch} is one per file): each
 * is decided and audited on its own, and the Codex call is allowed only if every one of them is.
 */
public final class CodexHookEndpoint implements HttpHandler, Gate {

  static final String PATH = "/v1/hooks/codex";
  static final String SOURCE = "codex-hook";

  private final ToolCallAuthorizer authorizer;
  private final int maxBodyBytes;
  private final Function<String, JsonNode> mcpAnnotations;

  /**
   * @param mcpAnnotations what the MCP gateway knows of an {@code mcp__server__tool}'s annotations
   *     (null when nothing)
   */
  public CodexHookEndpoint(
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
    CodexHookInput input;
    try {
      input = CodexHookParser.parse(json);
    } catch (BadHookInputException e) {
      refuse(exchange, 400, json, e.getMessage());
      return;
    }
    List<ToolCall> calls = toolCalls(input);
    if (CodexHookInput.POST_TOOL_USE.equals(input.hookEventName())) {
      for (ToolCall call : calls) {
        authorizer.recordOutcome(call, false, input.toolResponse());
      }
      Exchanges.sendJson(exchange, 200, Exchanges.JSON.createObjectNode());
      return;
    }
    List<CompletableFuture<Decision>> decisions = new ArrayList<>();
    for (ToolCall call : calls) {
      decisions.add(authorizer.authorizeHeld(call, input.permissionMode()));
    }
    CompletableFuture<Decision> all =
        CompletableFuture.allOf(decisions.toArray(CompletableFuture[]::new))
            .thenApply(done -> combined(decisions));
    if (all.isDone()) {
      Exchanges.sendJson(exchange, 200, answer(all.join()));
      return;
    }
    Exchanges.detach(exchange);
    all.whenComplete(
        (decision, error) ->
            HookExchanges.answerLater(exchange, decision, error, CodexHookEndpoint::answer));
  }

  /**
   * The canonical calls of one Codex call. A single call keeps Codex's tool_use_id as its
   * correlation id; the calls of a multi-file patch get {@code <id>#1}, {@code <id>#2}, … so the
   * audit has one record per file, and the Post hook finds them again by the same numbering.
   */
  private List<ToolCall> toolCalls(CodexHookInput input) {
    String id = HookExchanges.correlationId(input.toolUseId());
    List<CanonicalCall> canonical = input.calls();
    List<ToolCall> calls = new ArrayList<>();
    for (int i = 0; i < canonical.size(); i++) {
      CanonicalCall call = canonical.get(i);
      calls.add(
          new ToolCall(
                  canonical.size() == 1 ? id : id + "#" + (i + 1),
                  SOURCE,
                  input.sessionId(),
                  call.tool(),
                  call.input(),
                  input.cwd())
              .withAnnotations(mcpAnnotations.apply(call.tool()))
              .withAgent(CodexHookInput.RUNTIME, input.agentId(), input.agentType()));
    }
    return calls;
  }

  /** Allow only when every part is allowed; else the first part's deny, in patch order. */
  private static Decision combined(List<CompletableFuture<Decision>> decisions) {
    Decision first = null;
    for (CompletableFuture<Decision> future : decisions) {
      Decision decision = future.join();
      if (first == null) {
        first = decision;
      }
      if (decision.outcome() != Outcome.ALLOW) {
        return decision;
      }
    }
    return first;
  }

  private void refuse(HttpExchange exchange, int status, JsonNode json, String why)
      throws IOException {
    String tool = HookExchanges.text(json, "tool_name");
    String toolUseId = HookExchanges.text(json, "tool_use_id");
    JsonNode args = HookExchanges.toolInput(json);
    Decision decision =
        authorizer.refuse(
            new ToolCall(HookExchanges.correlationId(toolUseId), SOURCE, null, tool, args, null)
                .withAgent(CodexHookInput.RUNTIME, null, null),
            why);
    Exchanges.sendJson(exchange, status, answer(decision));
  }

  /** {@code {}} for an enforced allow; Codex's deny, with the reason it requires, otherwise. */
  static ObjectNode answer(Decision decision) {
    ObjectNode answer = Exchanges.JSON.createObjectNode();
    if (decision.outcome() == Outcome.ALLOW) {
      return answer;
    }
    ObjectNode output = answer.putObject("hookSpecificOutput");
    output.put("hookEventName", CodexHookInput.PRE_TOOL_USE);
    output.put("permissionDecision", "deny");
    output.put("permissionDecisionReason", "Tollgate: " + decision.summary());
    return answer;
  }
}
