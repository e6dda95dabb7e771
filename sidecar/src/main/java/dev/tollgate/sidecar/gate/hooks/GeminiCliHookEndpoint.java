package dev.tollgate.sidecar.gate.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.hook.BadHookInputException;
import dev.tollgate.engine.hook.GeminiCliHookInput;
import dev.tollgate.engine.hook.GeminiCliHookInput.CanonicalCall;
import dev.tollgate.engine.hook.GeminiCliHookInputParser;
import dev.tollgate.sidecar.core.ToolCall;
import dev.tollgate.sidecar.core.ToolCallAuthorizer;
import dev.tollgate.sidecar.http.Exchanges;
import dev.tollgate.sidecar.http.Gate;
import dev.tollgate.sidecar.http.Routes;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * {@code POST /v1/hooks/gemini-cli}: Gemini CLI's BeforeTool hook input in, its hook output out.
 * Gemini CLI blocks a call on {@code {"decision": "deny", "reason": ...}} and hands the reason to
 * the model as the tool's error; it runs the call on {@code "allow"}. One Gemini call may stand for
 * several canonical calls (each path of {@code read_many_files}): each is decided and audited as
 * its own call, in order, and the Gemini call is allowed only if every one is; the first that is
 * not allowed answers, and the rest are not asked.
 *
 * <p>Gemini CLI names no call id, so each canonical call gets one of its own, and there is no
 * AfterTool wiring to report outcomes: the audit trail has the decisions, not the executions.
 */
public final class GeminiCliHookEndpoint implements HttpHandler, Gate {

  static final String PATH = "/v1/hooks/gemini-cli";
  static final String SOURCE = "gemini-cli-hook";

  private final ToolCallAuthorizer authorizer;
  private final int maxBodyBytes;
  private final Function<String, JsonNode> mcpAnnotations;

  /**
   * @param mcpAnnotations what the MCP gateway knows of an {@code mcp__server__tool}'s annotations
   *     (null when nothing), so a hook decides an MCP call as the gateway would
   */
  public GeminiCliHookEndpoint(
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
    GeminiCliHookInput input;
    try {
      input = GeminiCliHookInputParser.parse(json);
    } catch (BadHookInputException e) {
      refuse(exchange, 400, json, e.getMessage());
      return;
    }
    String callId = "gemini-" + UUID.randomUUID();
    List<ToolCall> calls =
        IntStream.range(0, input.calls().size())
            .mapToObj(i -> toolCall(callId + "-" + i, input, input.calls().get(i)))
            .toList();
    CompletableFuture<Decision> decision = decideAll(calls, 0);
    if (decision.isDone()) {
      Exchanges.sendJson(exchange, 200, answer(decision.join()));
      return;
    }
    Exchanges.detach(exchange);
    decision.whenComplete(
        (held, error) ->
            HookExchanges.answerLater(exchange, held, error, GeminiCliHookEndpoint::answer));
  }

  private ToolCall toolCall(String callId, GeminiCliHookInput input, CanonicalCall call) {
    return new ToolCall(callId, SOURCE, input.sessionId(), call.tool(), call.input(), call.cwd())
        .withAnnotations(mcpAnnotations.apply(call.tool()));
  }

  /** Decides calls[from..] in order, stopping at the first that is not allowed. */
  private CompletableFuture<Decision> decideAll(List<ToolCall> calls, int from) {
    return authorizer
        .authorizeHeld(calls.get(from), "")
        .thenCompose(
            decision ->
                decision.outcome() != Outcome.ALLOW || from + 1 == calls.size()
                    ? CompletableFuture.completedFuture(decision)
                    : decideAll(calls, from + 1));
  }

  private void refuse(HttpExchange exchange, int status, JsonNode json, String why)
      throws IOException {
    String tool = HookExchanges.text(json, "tool_name");
    JsonNode args = HookExchanges.toolInput(json);
    Decision decision =
        authorizer.refuse(
            new ToolCall("gemini-" + UUID.randomUUID(), SOURCE, null, tool, args, null), why);
    Exchanges.sendJson(exchange, status, answer(decision));
  }

  /**
   * Gemini CLI's hook output: {@code "allow"} only when the enforced decision is allow. Never
   * {@code "ask"}, which would hand the decision to whoever sits at the terminal.
   */
  static ObjectNode answer(Decision decision) {
    ObjectNode answer = Exchanges.JSON.createObjectNode();
    answer.put("decision", decision.outcome() == Outcome.ALLOW ? "allow" : "deny");
    answer.put("reason", "Tollgate: " + decision.summary());
    return answer;
  }
}
