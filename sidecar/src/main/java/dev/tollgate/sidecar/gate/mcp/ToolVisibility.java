package dev.tollgate.sidecar.gate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.DecisionRequest;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.decision.Reason;
import dev.tollgate.engine.decision.RequestContext;
import dev.tollgate.engine.decision.ToolPattern;
import dev.tollgate.sidecar.core.PodContext;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Whether a listing ({@code tools/list}, {@code prompts/list}, {@code resources/list}, {@code
 * resources/templates/list}) shows an entry: it is shown unless a call of it, whatever the part of
 * its arguments the listing cannot know, could only be denied. The entry is decided (without audit)
 * with the arguments the listing does know (none for a tool or a resource template, the name for a
 * prompt, the whole {@code {uri}} for a resource) and, for a tool, the annotations the upstream
 * listed; it is hidden when that decision is a deny that the unknown arguments cannot change:
 *
 * <ul>
 *   <li>out of scope, or the principal refused ({@code OutOfScope}, {@code Delegation*}, {@code
 *       BadRequest}, {@code NoBundle});
 *   <li>a Deny rule decided, and none of the deciding rules has a condition that mentions the
 *       unknown arguments (see {@link Unknown}) or failed to evaluate (an MCP tool's {@code
 *       resource} does not depend on its arguments, so conditions on {@code resource.annotations}
 *       or {@code identity} are certain), or no Allow or RequireApproval rule names the tool at
 *       all;
 *   <li>no rule allows ({@code NoRuleAllows}), and no Allow or RequireApproval rule for the tool
 *       has a condition that mentions the unknown arguments.
 * </ul>
 *
 * Allow, approval_required and every Audit-mode decision show the entry. Conditions on {@code
 * context.time} are taken as they are now: an entry hidden outside working hours shows again later
 * (the upstream's {@code list_changed} is not sent for that).
 */
final class ToolVisibility {

  /** What a listing cannot know of a call's arguments: how a condition that reads it looks. */
  enum Unknown {
    /** A tool's arguments: any mention of {@code args}. */
    ARGS("\\bargs\\b"),
    /** A prompt's {@code arguments}: any mention of {@code args} but {@code args.name}. */
    PROMPT_ARGUMENTS("\\bargs\\b(?!\\s*\\.\\s*name\\b)"),
    /** A resource template's URI: any mention of {@code args} or of {@code resource}. */
    URI("\\b(args|resource)\\b"),
    /** Nothing: a listed resource is decided with the whole request it stands for. */
    NOTHING("(?!)");

    private final Pattern mention;

    Unknown(String mention) {
      this.mention = Pattern.compile(mention);
    }
  }

  private static final Set<Reason> CERTAIN =
      Set.of(
          Reason.OutOfScope,
          Reason.DelegationNotAllowed,
          Reason.DelegationRequired,
          Reason.BadRequest,
          Reason.NoBundle);

  private record RuleInfo(String id, List<ToolPattern> tools, String effect, String when) {

    boolean reads(Unknown unknown) {
      return when != null && unknown.mention.matcher(when).find();
    }
  }

  private record Analysis(PolicyEngine engine, List<RuleInfo> rules) {}

  private final PodContext pod;
  private final Clock clock;
  private final AtomicReference<Analysis> analysis = new AtomicReference<>();

  ToolVisibility(PodContext pod, Clock clock) {
    this.pod = pod;
    this.clock = clock;
  }

  /** A listed tool: none of its arguments known. */
  boolean visible(PolicyEngine engine, String tool, JsonNode annotations) {
    return visible(engine, tool, JsonRpc.JSON.createObjectNode(), annotations, Unknown.ARGS);
  }

  /**
   * @param tool the agent-side name, {@code mcp__S__T}
   * @param known the arguments the listing knows
   * @param annotations the tool's listed annotations, or null
   */
  boolean visible(
      PolicyEngine engine, String tool, JsonNode known, JsonNode annotations, Unknown unknown) {
    // The runtime the gateway's own decisions see (ToolCallAuthorizer): the identity's.
    RequestContext context =
        new RequestContext(
                "/", pod.agentHome(), "", "", pod.name(), pod.namespace(), clock.instant())
            .withAgent(engine.bundle().identity().runtime(), null, null);
    Decision decision =
        engine.decide(
            new DecisionRequest(tool, known, pod.principal(), pod.groups(), context, annotations));
    if (decision.outcome() != Outcome.DENY) {
      return true;
    }
    List<Reason> reasons = decision.reasons();
    if (reasons.stream().anyMatch(CERTAIN::contains)) {
      return false;
    }
    List<RuleInfo> rules = rules(engine);
    if (reasons.contains(Reason.RuleDenied)) {
      boolean denyMightLift =
          rules.stream()
              .filter(rule -> decision.rules().contains(rule.id()))
              .anyMatch(
                  rule -> rule.reads(unknown) || decision.conditionErrors().containsKey(rule.id()));
      // Other arguments might lift the deny; then some Allow or RequireApproval rule must be able
      // to apply.
      return denyMightLift
          && rules.stream()
              .filter(rule -> !rule.effect().equals("Deny"))
              .anyMatch(rule -> rule.tools().stream().anyMatch(pattern -> pattern.matches(tool)));
    }
    if (reasons.contains(Reason.NoRuleAllows)) {
      return rules.stream()
          .filter(rule -> !rule.effect().equals("Deny") && rule.reads(unknown))
          .anyMatch(rule -> rule.tools().stream().anyMatch(pattern -> pattern.matches(tool)));
    }
    return false; // ApprovalRequired turned deny, or a reason this version does not know: fail
    // closed
  }

  private List<RuleInfo> rules(PolicyEngine engine) {
    Analysis current = analysis.get();
    if (current != null && current.engine() == engine) {
      return current.rules();
    }
    List<RuleInfo> rules = engine.bundle().rules().stream().map(ToolVisibility::info).toList();
    analysis.set(new Analysis(engine, rules));
    return rules;
  }

  private static RuleInfo info(Bundle.Rule rule) {
    return new RuleInfo(
        rule.id(), rule.tools().stream().map(ToolPattern::of).toList(), rule.effect(), rule.when());
  }
}
