package dev.tollgate.engine.decision;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A decision and its explanation.
 *
 * @param outcome allow, deny or approval_required
 * @param reasons why, as CamelCase codes on the wire, the deciding one first
 * @param rules ids ({@code namespace/policy/rule}) of the rules that decided
 * @param messages the deciding rules' messages (for the agent and the human)
 * @param approvers who may approve, for approval_required
 * @param bundleRevision the bundle that decided; empty without one
 * @param wouldDecide in Audit mode, what Enforce would have decided; else null
 * @param conditionErrors rules whose condition failed to evaluate, with the error
 * @param resource the derived resource, or an empty map when the request was unreadable
 */
public record Decision(
    Outcome outcome,
    List<Reason> reasons,
    List<String> rules,
    List<String> messages,
    List<String> approvers,
    String bundleRevision,
    Decision wouldDecide,
    Map<String, String> conditionErrors,
    Map<String, Object> resource) {

  public Decision {
    reasons = List.copyOf(reasons);
    rules = List.copyOf(rules);
    messages = List.copyOf(messages);
    approvers = List.copyOf(approvers);
    bundleRevision = bundleRevision == null ? "" : bundleRevision;
    conditionErrors = Map.copyOf(conditionErrors);
    resource = resource == null ? Map.of() : resource;
  }

  /** A deny for a request that could not be read at all. */
  public static Decision badRequest(String why, String bundleRevision) {
    return new Decision(
        Outcome.DENY,
        List.of(Reason.BadRequest),
        List.of(),
        List.of(why),
        List.of(),
        bundleRevision,
        null,
        Map.of(),
        Map.of());
  }

  /** A deny because no valid bundle is loaded. */
  public static Decision noBundle(String why) {
    return new Decision(
        Outcome.DENY,
        List.of(Reason.NoBundle),
        List.of(),
        List.of(why),
        List.of(),
        "",
        null,
        Map.of(),
        Map.of());
  }

  /**
   * This approval-required decision, resolved by a human: approved becomes allow, rejected deny.
   */
  public Decision resolvedByApproval(Reason reason, String message) {
    Outcome resolved = reason == Reason.ApprovalGranted ? Outcome.ALLOW : Outcome.DENY;
    return new Decision(
        resolved,
        List.of(reason),
        rules,
        List.of(message),
        approvers,
        bundleRevision,
        null,
        conditionErrors,
        resource);
  }

  /**
   * This decision as Audit mode gives it: allowed, reason {@code AuditMode}, with this one kept as
   * what Enforce would have decided.
   */
  public Decision auditedOnly() {
    return new Decision(
        Outcome.ALLOW,
        List.of(Reason.AuditMode),
        rules,
        List.of(),
        List.of(),
        bundleRevision,
        this,
        Map.of(),
        resource);
  }

  /** The reasons as their wire codes, the deciding one first. */
  public List<String> reasonCodes() {
    return reasons.stream().map(Reason::name).toList();
  }

  /** The outcome that would be enforced: in Audit mode, the would-be one. */
  public Outcome enforcedOutcome() {
    return wouldDecide != null ? wouldDecide.outcome : outcome;
  }

  /** One line for the agent and the logs: what was decided and why. */
  public String summary() {
    Decision basis = wouldDecide != null ? wouldDecide : this;
    StringBuilder text = new StringBuilder();
    if (wouldDecide != null) {
      text.append("audit mode, would ").append(basis.outcome.wireName()).append(": ");
    }
    String message =
        basis.messages.stream().filter(m -> !m.isBlank()).collect(Collectors.joining("; "));
    text.append(message.isEmpty() ? describe(basis) : message);
    text.append(" [")
        .append(basis.reasons.stream().map(Reason::name).collect(Collectors.joining(", ")));
    if (!basis.rules.isEmpty()) {
      text.append("; rule ").append(String.join(", ", basis.rules));
    }
    text.append("]");
    return text.toString();
  }

  private static String describe(Decision decision) {
    return switch (decision.outcome) {
      case ALLOW -> "allowed by policy";
      case APPROVAL_REQUIRED -> "this call requires approval";
      case DENY -> "denied by policy";
    };
  }
}
