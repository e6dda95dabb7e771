package dev.tollgate.engine.decision;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The JSON form of a decision that {@code tollgate eval} prints and the decision point returns in
 * explanations: {@code decision}, {@code reasons}, {@code rules}, {@code bundleRevision}, {@code
 * message}, and {@code wouldDecide} in Audit mode.
 */
public final class DecisionJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private DecisionJson() {}

  public static ObjectNode toJson(Decision decision) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("decision", decision.outcome().wireName());
    strings(json.putArray("reasons"), decision.reasonCodes());
    strings(json.putArray("rules"), decision.rules());
    json.put("bundleRevision", decision.bundleRevision());
    json.put("message", decision.summary());
    if (!decision.approvers().isEmpty()) {
      strings(json.putArray("approvers"), decision.approvers());
    }
    if (!decision.conditionErrors().isEmpty()) {
      ObjectNode errors = json.putObject("conditionErrors");
      decision.conditionErrors().forEach(errors::put);
    }
    if (!decision.resource().isEmpty()) {
      json.set("resource", MAPPER.valueToTree(decision.resource()));
    }
    if (decision.wouldDecide() != null) {
      Decision would = decision.wouldDecide();
      ObjectNode nested = json.putObject("wouldDecide");
      nested.put("decision", would.outcome().wireName());
      strings(nested.putArray("reasons"), would.reasonCodes());
      strings(nested.putArray("rules"), would.rules());
      strings(nested.putArray("messages"), would.messages());
      if (!would.approvers().isEmpty()) {
        strings(nested.putArray("approvers"), would.approvers());
      }
    }
    return json;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
