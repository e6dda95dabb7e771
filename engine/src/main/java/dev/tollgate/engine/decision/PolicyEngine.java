package dev.tollgate.engine.decision;

import com.google.protobuf.Timestamp;
import dev.cel.runtime.CelVariableResolver;
import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.bundle.InvalidBundleException;
import dev.tollgate.engine.cel.CelCondition;
import dev.tollgate.engine.cel.CelEnvironment;
import dev.tollgate.engine.cel.ConditionResult;
import dev.tollgate.engine.cel.InvalidConditionException;
import dev.tollgate.engine.model.DelegationRule;
import dev.tollgate.engine.model.Effect;
import dev.tollgate.engine.model.EgressDefinition;
import dev.tollgate.engine.model.FieldRules;
import dev.tollgate.engine.model.GitRemoteDefinition;
import dev.tollgate.engine.model.Mode;
import dev.tollgate.engine.model.PrincipalList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides tool calls for one identity from its bundle, with exactly the semantics of docs/design.md
 * §3. Immutable and thread-safe; a decision point swaps in a new instance on reload.
 */
public final class PolicyEngine {

  private final Bundle bundle;
  private final Mode mode;
  private final ToolIndex index;
  private final EgressScope egress;
  private final GitScope git;
  private final Map<String, Object> identityVariable;
  private final DelegationRule delegation;
  private final List<String> defaultApprovers;

  private PolicyEngine(Bundle bundle, Mode mode, List<CompiledRule> rules) {
    this.bundle = bundle;
    this.mode = mode;
    // Egress and the git tools are indexed as in scope so their rules are found; their real
    // scope is the destinations and the remotes, checked in enforce().
    List<String> scope = new ArrayList<>(bundle.tools());
    scope.add(EgressDefinition.TOOL);
    scope.addAll(GitRemoteDefinition.TOOLS);
    this.index = new ToolIndex(scope, rules);
    this.egress = new EgressScope(bundle.egress());
    this.git = new GitScope(bundle.gitRemotes());
    Bundle.Identity identity = bundle.identity();
    Map<String, Object> identityMap = new LinkedHashMap<>();
    identityMap.put("name", identity.name());
    identityMap.put("namespace", identity.namespace());
    identityMap.put("serviceAccount", identity.serviceAccount());
    identityMap.put("attributes", identity.attributes());
    this.identityVariable = Map.copyOf(identityMap);
    this.delegation =
        new DelegationRule(
            identity.delegation().allowedPrincipals(), identity.delegation().required());
    this.defaultApprovers = identity.approval().defaultApprovers();
  }

  /**
   * Prepares a bundle for deciding: compiles every condition and indexes the rules.
   *
   * @throws InvalidBundleException when a rule cannot be used (so the caller keeps its last good
   *     one)
   */
  public static PolicyEngine load(Bundle bundle) throws InvalidBundleException {
    Mode mode =
        Mode.fromWireName(bundle.identity().mode())
            .orElseThrow(
                () ->
                    new InvalidBundleException("unknown mode '" + bundle.identity().mode() + "'"));
    CelEnvironment cel = CelEnvironment.standard();
    List<CompiledRule> rules = new ArrayList<>();
    for (int i = 0; i < bundle.rules().size(); i++) {
      Bundle.Rule rule = bundle.rules().get(i);
      Effect effect =
          Effect.fromWireName(rule.effect())
              .orElseThrow(
                  () ->
                      new InvalidBundleException(
                          "rule " + rule.id() + ": unknown effect '" + rule.effect() + "'"));
      CelCondition condition = null;
      if (rule.when() != null) {
        try {
          condition = cel.compile(rule.when());
        } catch (InvalidConditionException e) {
          throw new InvalidBundleException("rule " + rule.id() + ": " + e.getMessage());
        }
      }
      rules.add(
          new CompiledRule(
              i,
              rule.id(),
              rule.tools(),
              effect,
              condition,
              rule.message() == null ? "" : rule.message(),
              rule.approvers()));
    }
    try {
      return new PolicyEngine(bundle, mode, rules);
    } catch (IllegalArgumentException e) {
      throw new InvalidBundleException("egress destination: " + e.getMessage());
    }
  }

  public Bundle bundle() {
    return bundle;
  }

  public String revision() {
    return bundle.revision();
  }

  public Mode mode() {
    return mode;
  }

  public Decision decide(DecisionRequest request) {
    String tool = request.tool();
    if (tool == null || tool.isBlank() || tool.length() > FieldRules.MAX_TOOL_NAME_LENGTH) {
      return Decision.badRequest(
          "tool name is missing, blank or longer than "
              + FieldRules.MAX_TOOL_NAME_LENGTH
              + " characters",
          revision());
    }
    if (!request.args().isObject()) {
      return Decision.badRequest("tool input must be a JSON object", revision());
    }
    Decision enforced = enforce(request);
    return mode == Mode.AUDIT ? enforced.auditedOnly() : enforced;
  }

  private Decision enforce(DecisionRequest request) {
    String tool = request.tool();
    RequestContext context = request.context();
    Map<String, Object> resource =
        ResourceDeriver.derive(
            tool, request.args(), context.cwd(), context.home(), request.annotations());
    if (ResourceDeriver.INVALID.equals(resource.get("type"))) {
      return Decision.badRequest((String) resource.get("problem"), revision());
    }
    ToolIndex.Applicable applicable = index.lookup(tool);
    if (tool.equals(EgressDefinition.TOOL) && !egress.admits(resource)) {
      return simple(
          Outcome.DENY,
          Reason.OutOfScope,
          "destination "
              + resource.get("host")
              + ":"
              + resource.get("port")
              + " is not in the egress of any ToolScope of "
              + identityKey(),
          resource);
    }
    if (GitRemoteDefinition.isGitTool(tool)) {
      Optional<String> url = git.url(resource);
      if (url.isEmpty()) {
        return simple(
            Outcome.DENY,
            Reason.OutOfScope,
            "git remote '"
                + resource.get("remote")
                + "' is not in the gitRemotes of any ToolScope of "
                + identityKey(),
            resource);
      }
      resource = GitResource.withUrl(resource, url.get());
    }
    if (!applicable.inScope) {
      return simple(
          Outcome.DENY,
          Reason.OutOfScope,
          "tool '" + tool + "' is not in any ToolScope of " + identityKey(),
          resource);
    }
    switch (delegation.check(request.principal(), request.groups())) {
      case PRINCIPAL_REQUIRED -> {
        return simple(
            Outcome.DENY,
            Reason.DelegationRequired,
            identityKey() + " must act on behalf of a principal and none was given",
            resource);
      }
      case NOT_ALLOWED -> {
        return simple(
            Outcome.DENY,
            Reason.DelegationNotAllowed,
            identityKey()
                + " may not act on behalf of "
                + PrincipalList.USER_PREFIX
                + request.principal(),
            resource);
      }
      case ALLOWED -> {}
    }

    Evaluation evaluation = new Evaluation(request, resource);
    List<CompiledRule> denied = evaluation.matching(applicable.deny);
    if (!denied.isEmpty()) {
      return evaluation.decision(Outcome.DENY, Reason.RuleDenied, denied, List.of());
    }
    List<CompiledRule> approval = evaluation.matching(applicable.requireApproval);
    if (!approval.isEmpty()) {
      Set<String> approvers = new LinkedHashSet<>();
      approval.forEach(
          rule ->
              approvers.addAll(rule.approvers().isEmpty() ? defaultApprovers : rule.approvers()));
      return evaluation.decision(
          Outcome.APPROVAL_REQUIRED, Reason.ApprovalRequired, approval, List.copyOf(approvers));
    }
    List<CompiledRule> allowed = evaluation.matching(applicable.allow);
    if (!allowed.isEmpty()) {
      return evaluation.decision(Outcome.ALLOW, Reason.RuleAllowed, allowed, List.of());
    }
    return evaluation.decision(Outcome.DENY, Reason.NoRuleAllows, List.of(), List.of());
  }

  private Decision simple(
      Outcome outcome, Reason reason, String message, Map<String, Object> resource) {
    return new Decision(
        outcome,
        List.of(reason),
        List.of(),
        List.of(message),
        List.of(),
        revision(),
        null,
        Map.of(),
        resource);
  }

  private String identityKey() {
    return "AgentIdentity " + bundle.identity().namespace() + "/" + bundle.identity().name();
  }

  /** The rule evaluation of one request: builds CEL variables once, on first need. */
  private final class Evaluation {

    private final DecisionRequest request;
    private final Map<String, Object> resource;
    private final Map<String, String> errors = new LinkedHashMap<>();
    private Map<String, Object> variables;
    private CelVariableResolver resolver;
    private Set<String> commandNames;
    private boolean commandNamesKnown;

    Evaluation(DecisionRequest request, Map<String, Object> resource) {
      this.request = request;
      this.resource = resource;
    }

    List<CompiledRule> matching(CompiledRule[] rules) {
      List<CompiledRule> matched = new ArrayList<>(rules.length);
      for (CompiledRule rule : rules) {
        if (rule.condition() == null) {
          matched.add(rule);
          continue;
        }
        if (rule.condition().falseWithout(commandNames())) {
          continue;
        }
        ConditionResult result = rule.condition().evaluate(resolver());
        if (result.isError()) {
          errors.put(rule.id(), result.error());
          if (rule.effect().matchesOnConditionError()) {
            matched.add(rule);
          }
        } else if (result == ConditionResult.TRUE) {
          matched.add(rule);
        }
      }
      return matched;
    }

    Decision decision(
        Outcome outcome, Reason reason, List<CompiledRule> deciding, List<String> approvers) {
      List<Reason> reasons = new ArrayList<>(2);
      reasons.add(reason);
      if (!errors.isEmpty()) {
        reasons.add(Reason.ConditionError);
      }
      List<String> messages = new ArrayList<>();
      for (CompiledRule rule : deciding) {
        if (!rule.message().isBlank()) {
          messages.add(rule.message());
        }
      }
      if (reason == Reason.NoRuleAllows) {
        messages.add("no rule allows tool '" + request.tool() + "' for " + identityKey());
      }
      return new Decision(
          outcome,
          reasons,
          deciding.stream().map(CompiledRule::id).toList(),
          messages,
          approvers,
          revision(),
          null,
          errors,
          resource);
    }

    private Set<String> commandNames() {
      if (!commandNamesKnown) {
        commandNames = CelCondition.commandNames(resource);
        commandNamesKnown = true;
      }
      return commandNames;
    }

    private CelVariableResolver resolver() {
      if (resolver == null) {
        Map<String, Object> all = variables();
        resolver = name -> Optional.ofNullable(all.get(name));
      }
      return resolver;
    }

    private Map<String, Object> variables() {
      if (variables == null) {
        RequestContext context = request.context();
        Map<String, Object> delegation =
            Map.of("principal", request.principal(), "groups", request.groups());
        Map<String, Object> contextVariable = new HashMap<>();
        contextVariable.put("cwd", context.cwd());
        contextVariable.put("home", context.home());
        contextVariable.put("sessionId", context.sessionId());
        contextVariable.put("permissionMode", context.permissionMode());
        contextVariable.put("pod", context.pod());
        contextVariable.put("namespace", context.namespace());
        contextVariable.put("runtime", context.runtime());
        contextVariable.put(
            "time",
            Timestamp.newBuilder()
                .setSeconds(context.time().getEpochSecond())
                .setNanos(context.time().getNano())
                .build());
        variables = new HashMap<>(8);
        variables.put("tool", request.tool());
        variables.put("args", CelValues.map(request.args()));
        variables.put("identity", identityVariable);
        variables.put("delegation", delegation);
        variables.put("resource", resource);
        variables.put("context", contextVariable);
      }
      return variables;
    }
  }
}
