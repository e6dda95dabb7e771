package dev.tollgate.engine.model;

import java.util.List;

/**
 * One ToolPolicy rule.
 *
 * @param when the CEL condition, or null for "always"
 * @param message shown to the agent (and the human) when the rule decides; may be empty
 * @param path where the rule stands in its policy ({@code spec.rules[3]}), for messages
 */
public record RuleDefinition(
    String name,
    List<String> tools,
    String when,
    Effect effect,
    String message,
    List<String> approvers,
    String path) {

  public RuleDefinition {
    tools = List.copyOf(tools);
    approvers = List.copyOf(approvers);
  }
}
