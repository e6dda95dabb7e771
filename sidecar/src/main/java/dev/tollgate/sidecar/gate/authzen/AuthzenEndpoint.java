package dev.tollgate.sidecar.gate.authzen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.sidecar.core.ToolCall;
import dev.tollgate.sidecar.core.ToolCallAuthorizer;
import dev.tollgate.sidecar.core.Verdict;
import dev.tollgate.sidecar.http.Exchanges;
import dev.tollgate.sidecar.http.Gate;
import dev.tollgate.sidecar.http.Routes;
import java.io.IOException;
import java.util.UUID;

/**
 * OpenID AuthZEN 1.0 access evaluation ({@code /access/v1/evaluation}) and batch evaluations
 * ({@code /access/v1/evaluations}) for agents that call the decision point themselves.
 *
 * <p>Mapping: {@code action.name} is the tool name, {@code action.properties} the tool input,
 * {@code context.cwd} / {@code context.session_id} / {@code context.correlation_id} the call's
 * context. The subject is always this sidecar's identity, acting for the pod's principal: a {@code
 * subject.id} naming anyone else is refused, so an agent cannot borrow another identity or claim a
 * principal. The boolean decision is true only for allow; {@code context.decision} carries the
 * three-valued one.
 */
public final class AuthzenEndpoint implements Gate {

  static final String EVALUATION = "/access/v1/evaluation";
  static final String EVALUATIONS = "/access/v1/evaluations";
  static final String SOURCE = "authzen";
  private static final int MAX_EVALUATIONS = 256;

  private final ToolCallAuthorizer authorizer;
  private final int maxBodyBytes;

  public AuthzenEndpoint(ToolCallAuthorizer authorizer, int maxBodyBytes) {
    this.authorizer = authorizer;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void mount(Routes routes) {
    routes.guarded(EVALUATION, exchange -> handle(exchange, false));
    routes.guarded(EVALUATIONS, exchange -> handle(exchange, true));
  }

  private void handle(HttpExchange exchange, boolean batch) throws IOException {
    if (Exchanges.rejectUnlessRoute(exchange, batch ? EVALUATIONS : EVALUATION, "POST")) {
      return;
    }
    JsonNode request;
    try {
      request = Exchanges.JSON.readTree(Exchanges.readBody(exchange, maxBodyBytes));
    } catch (Exchanges.TooLargeException e) {
      Exchanges.sendJson(exchange, 413, answer(refuse(null, e.getMessage())));
      return;
    } catch (JsonProcessingException e) {
      Exchanges.sendJson(
          exchange, 400, answer(refuse(null, "malformed JSON: " + e.getOriginalMessage())));
      return;
    }
    if (request == null || !request.isObject()) {
      Exchanges.sendJson(exchange, 400, answer(refuse(null, "the request must be a JSON object")));
      return;
    }
    JsonNode items = request.get("evaluations");
    if (!batch || items == null || (items.isArray() && items.isEmpty())) {
      Evaluated single = evaluate(request);
      Exchanges.sendJson(exchange, single.status, answer(single.decision, single.approval));
      return;
    }
    if (!items.isArray() || items.size() > MAX_EVALUATIONS) {
      Exchanges.sendJson(
          exchange,
          400,
          answer(
              refuse(
                  null,
                  "evaluations must be an array of at most " + MAX_EVALUATIONS + " objects")));
      return;
    }
    String semantic = request.path("options").path("evaluations_semantic").asText("execute_all");
    if (!semantic.equals("execute_all")
        && !semantic.equals("deny_on_first_deny")
        && !semantic.equals("permit_on_first_permit")) {
      Exchanges.sendJson(
          exchange,
          400,
          answer(
              refuse(
                  null,
                  "unknown options.evaluations_semantic '"
                      + semantic
                      + "' (expected execute_all, deny_on_first_deny or permit_on_first_permit)")));
      return;
    }
    ObjectNode response = Exchanges.JSON.createObjectNode();
    ArrayNode results = response.putArray("evaluations");
    for (JsonNode item : items) {
      Evaluated evaluated = evaluate(merge(request, item));
      Decision decision = evaluated.decision;
      results.add(answer(decision, evaluated.approval));
      boolean allowed = decision.outcome() == Outcome.ALLOW;
      if ((semantic.equals("deny_on_first_deny") && !allowed)
          || (semantic.equals("permit_on_first_permit") && allowed)) {
        break;
      }
    }
    Exchanges.sendJson(exchange, 200, response);
  }

  private Evaluated evaluate(JsonNode request) {
    if (!request.isObject()) {
      return new Evaluated(400, refuse(null, "each evaluation must be a JSON object"));
    }
    JsonNode action = request.path("action");
    String tool = action.path("name").isTextual() ? action.get("name").asText() : null;
    JsonNode args =
        action.has("properties") ? action.get("properties") : JsonNodeFactory.instance.objectNode();
    JsonNode context = request.path("context");
    ToolCall call =
        new ToolCall(
            correlationId(context),
            SOURCE,
            text(context, "session_id"),
            tool,
            args.isObject() ? args : null,
            text(context, "cwd"));
    if (!request.path("subject").isObject() || !request.path("resource").isObject()) {
      return new Evaluated(
          400, authorizer.refuse(call, "subject, action and resource are required (AuthZEN 1.0)"));
    }
    if (tool == null || tool.isBlank()) {
      return new Evaluated(400, authorizer.refuse(call, "action.name (the tool name) is required"));
    }
    if (!args.isObject()) {
      return new Evaluated(
          400, authorizer.refuse(call, "action.properties (the tool input) must be an object"));
    }
    String subjectId = text(request.get("subject"), "id");
    String identity = authorizer.identity();
    if (subjectId != null
        && !subjectId.isEmpty()
        && !subjectId.equals(identity)
        && !subjectId.equals(identity.substring(identity.indexOf('/') + 1))) {
      return new Evaluated(
          400,
          authorizer.refuse(
              call,
              "subject '"
                  + subjectId
                  + "' is not the identity this decision point serves ("
                  + identity
                  + ")"));
    }
    Verdict verdict = authorizer.authorize(call, text(context, "permission_mode"));
    return new Evaluated(200, verdict.decision(), verdict.approvalName().orElse(null));
  }

  private Decision refuse(String tool, String why) {
    return authorizer.refuse(
        new ToolCall("tollgate-" + UUID.randomUUID(), SOURCE, null, tool, null, null), why);
  }

  private static JsonNode merge(JsonNode defaults, JsonNode item) {
    if (!item.isObject()) {
      return item;
    }
    ObjectNode merged = Exchanges.JSON.createObjectNode();
    for (String key : new String[] {"subject", "action", "resource", "context"}) {
      JsonNode value = item.has(key) ? item.get(key) : defaults.get(key);
      if (value != null) {
        merged.set(key, value);
      }
    }
    return merged;
  }

  static ObjectNode answer(Decision decision) {
    return answer(decision, null);
  }

  static ObjectNode answer(Decision decision, String approval) {
    ObjectNode answer = Exchanges.JSON.createObjectNode();
    answer.put("decision", decision.outcome() == Outcome.ALLOW);
    ObjectNode context = answer.putObject("context");
    context.put("decision", decision.outcome().wireName());
    Decision basis = decision.wouldDecide() != null ? decision.wouldDecide() : decision;
    decision.reasonCodes().forEach(context.withArray("reasons")::add);
    basis.rules().forEach(context.withArray("rules")::add);
    if (decision.wouldDecide() != null) {
      context.put("wouldDecide", decision.wouldDecide().outcome().wireName());
      decision.wouldDecide().reasonCodes().forEach(context.withArray("wouldReasons")::add);
    }
    context.put("bundleRevision", decision.bundleRevision());
    if (approval != null) {
      // The caller polls or shows this ToolCallApproval; a retry after approval is allowed once.
      context.put("approval", approval);
    }
    context.putObject("reason_admin").put("en", decision.summary());
    context.putObject("reason_user").put("en", decision.summary());
    return answer;
  }

  private static String correlationId(JsonNode context) {
    String id = text(context, "correlation_id");
    return id == null || id.isBlank() ? "tollgate-" + UUID.randomUUID() : id;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /**
   * @param approval the ToolCallApproval ({@code namespace/name}) the call asked for or used, or
   *     null
   */
  private record Evaluated(int status, Decision decision, String approval) {
    Evaluated(int status, Decision decision) {
      this(status, decision, null);
    }
  }
}
