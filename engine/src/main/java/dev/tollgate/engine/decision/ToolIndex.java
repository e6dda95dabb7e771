package dev.tollgate.engine.decision;

import dev.tollgate.engine.model.Effect;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers, for a tool name, "is it in scope, and which rules name it?" without scanning every rule:
 * literal names are a hash lookup, wildcard patterns are kept apart, and the answer per in-scope
 * tool name is memoised (bounded, so an agent inventing names cannot grow it without limit, nor
 * crowd out the names it really uses).
 */
final class ToolIndex {

  private static final int CACHE_LIMIT = 4_096;

  private final Set<String> literalScope = new HashSet<>();
  private final List<ToolPattern> wildcardScope = new ArrayList<>();
  private final Map<String, List<CompiledRule>> literalRules = new HashMap<>();
  private final List<Map.Entry<ToolPattern, CompiledRule>> wildcardRules = new ArrayList<>();
  private final ConcurrentHashMap<String, Applicable> cache = new ConcurrentHashMap<>();

  ToolIndex(List<String> scopePatterns, List<CompiledRule> rules) {
    for (String text : scopePatterns) {
      ToolPattern pattern = ToolPattern.of(text);
      if (pattern.isLiteral()) {
        literalScope.add(text);
      } else {
        wildcardScope.add(pattern);
      }
    }
    for (CompiledRule rule : rules) {
      for (String text : rule.tools()) {
        ToolPattern pattern = ToolPattern.of(text);
        if (pattern.isLiteral()) {
          literalRules.computeIfAbsent(text, k -> new ArrayList<>()).add(rule);
        } else {
          wildcardRules.add(Map.entry(pattern, rule));
        }
      }
    }
  }

  Applicable lookup(String tool) {
    Applicable cached = cache.get(tool);
    if (cached != null) {
      return cached;
    }
    Applicable computed = compute(tool);
    // Out-of-scope names are not kept: they are what an agent can invent without limit, and
    // answering them again costs one hash lookup and the scope wildcards.
    if (computed.inScope && cache.size() < CACHE_LIMIT) {
      cache.putIfAbsent(tool, computed);
    }
    return computed;
  }

  /** How many tool names are memoised (tests). */
  int memoised() {
    return cache.size();
  }

  private Applicable compute(String tool) {
    boolean inScope =
        literalScope.contains(tool) || wildcardScope.stream().anyMatch(p -> p.matches(tool));
    if (!inScope) {
      return Applicable.OUT_OF_SCOPE;
    }
    Set<CompiledRule> matching = new LinkedHashSet<>(literalRules.getOrDefault(tool, List.of()));
    for (Map.Entry<ToolPattern, CompiledRule> entry : wildcardRules) {
      if (entry.getKey().matches(tool)) {
        matching.add(entry.getValue());
      }
    }
    List<CompiledRule> ordered = new ArrayList<>(matching);
    ordered.sort(Comparator.comparingInt(CompiledRule::ordinal));
    return new Applicable(true, ordered);
  }

  /** The answer for one tool name: scope, and the rules grouped by effect in bundle order. */
  static final class Applicable {

    static final Applicable OUT_OF_SCOPE = new Applicable(false, List.of());

    final boolean inScope;
    final CompiledRule[] deny;
    final CompiledRule[] requireApproval;
    final CompiledRule[] allow;

    Applicable(boolean inScope, List<CompiledRule> rules) {
      this.inScope = inScope;
      this.deny =
          rules.stream().filter(r -> r.effect() == Effect.DENY).toArray(CompiledRule[]::new);
      this.requireApproval =
          rules.stream()
              .filter(r -> r.effect() == Effect.REQUIRE_APPROVAL)
              .toArray(CompiledRule[]::new);
      this.allow =
          rules.stream().filter(r -> r.effect() == Effect.ALLOW).toArray(CompiledRule[]::new);
    }
  }
}
