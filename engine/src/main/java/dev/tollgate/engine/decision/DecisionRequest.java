package dev.tollgate.engine.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;

/**
 * One tool call to decide.
 *
 * @param tool the agent-side tool name ({@code Bash}, {@code mcp__github__create_issue})
 * @param args the tool input (a JSON object)
 * @param principal on whose behalf the agent acts; empty for nobody
 * @param groups the principal's groups
 * @param annotations for MCP tools ({@code mcp__S__T}): the tool's annotations as the upstream
 *     server last listed them ({@code readOnlyHint}, {@code destructiveHint}, ...), visible to
 *     conditions as {@code resource.annotations}; null when unknown (then an empty map)
 */
public record DecisionRequest(
    String tool,
    JsonNode args,
    String principal,
    List<String> groups,
    RequestContext context,
    JsonNode annotations) {

  /** A request without tool annotations (everything but the MCP gateway). */
  public DecisionRequest(
      String tool, JsonNode args, String principal, List<String> groups, RequestContext context) {
    this(tool, args, principal, groups, context, null);
  }

  public DecisionRequest {
    args = args == null ? JsonNodeFactory.instance.objectNode() : args;
    principal = principal == null ? "" : principal;
    groups = groups == null ? List.of() : List.copyOf(groups);
    context =
        context == null ? new RequestContext(null, null, null, null, null, null, null) : context;
  }
}
