package dev.tollgate.engine.model;

import dev.tollgate.engine.cel.CelEnvironment;
import dev.tollgate.engine.cel.InvalidConditionException;
import dev.tollgate.engine.cel.ResourceFields;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resource fields of the git tools, and the check that a rule naming only git tools reads no
 * other (see {@link ResourceFields}). The field names are the contract with the git gateway, which
 * produces the tool inputs the engine derives them from.
 */
final class GitRuleFields {

  /** GitFetch's resource: {@code {type: "git", remote, url}}. */
  static final Set<String> FETCH = Set.of("type", "remote", "url");

  /** GitPush's resource: GitFetch's fields and {@code updates}. */
  static final Set<String> PUSH = Set.of("type", "remote", "url", "updates");

  /** The fields of each element of {@code resource.updates}. */
  static final Set<String> UPDATE = Set.of("ref", "kind", "oldId", "newId");

  private GitRuleFields() {}

  /**
   * The unknown-field error of a (type-checked) condition of a rule on {@code tools}; empty when a
   * tool pattern may name something other than a git tool, whose resource has other fields.
   */
  static Optional<String> check(CelEnvironment cel, String when, List<String> tools) {
    if (tools.isEmpty() || !tools.stream().allMatch(GitRemoteDefinition::isGitTool)) {
      return Optional.empty();
    }
    Set<String> fields = new HashSet<>();
    Map<String, Set<String>> elements = new HashMap<>();
    for (String tool : new HashSet<>(tools)) {
      boolean push = tool.equals(GitRemoteDefinition.PUSH_TOOL);
      fields.addAll(push ? PUSH : FETCH);
      if (push) {
        elements.put("updates", UPDATE);
      }
    }
    String described = String.join(" and ", tools.stream().distinct().sorted().toList());
    try {
      return ResourceFields.unknown(
          cel.ast(when), new ResourceFields.Shape(described, fields, elements));
    } catch (InvalidConditionException e) {
      // Reported by the CEL check already.
      return Optional.empty();
    }
  }
}
