package dev.tollgate.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.cel.CelEnvironment;
import dev.tollgate.engine.model.SpecReader.Element;
import dev.tollgate.engine.source.KubernetesNames;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.engine.source.SourceObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the spec of each kind into its definition, checking what the CRD schema checks (so the CLI
 * catches it offline) and what no schema can (CEL, references, duplicate rule names).
 */
final class DefinitionParser {

  private static final Pattern PRINCIPAL = Pattern.compile(FieldRules.PRINCIPAL);
  private static final Pattern TOOL_PATTERN = Pattern.compile(FieldRules.TOOL_PATTERN);
  private static final Pattern MCP_SERVER_NAME = Pattern.compile(FieldRules.MCP_SERVER_NAME);
  private static final Pattern RULE_NAME = Pattern.compile(FieldRules.RULE_NAME);
  private static final Pattern HTTP_URL = Pattern.compile(FieldRules.HTTP_URL);

  private final CelEnvironment cel;

  DefinitionParser(CelEnvironment cel) {
    this.cel = cel;
  }

  /**
   * An identity's own audit receiver is the webhook's and the sidecar's (the engine's bundle does
   * not carry it); its shape is checked here so {@code tollgate validate} and the apply-time check
   * refuse a typo. Which receivers an identity may choose is the cluster's to say, at the webhook.
   */
  private static void auditExport(SpecReader r, JsonNode export) {
    String path = "spec.auditExport";
    r.rejectUnknown(export, path, Set.of("endpoint", "protocol", "headersSecret"));
    r.string(export, path, "endpoint", true)
        .filter(url -> !HTTP_URL.matcher(url).matches())
        .ifPresent(url -> r.problem(path + ".endpoint", "must be an http or https URL"));
    r.string(export, path, "protocol", false)
        .filter(text -> !List.of("http", "otlp").contains(text))
        .ifPresent(
            text -> r.problem(path + ".protocol", "must be http or otlp, got '" + text + "'"));
    r.string(export, path, "headersSecret", false)
        .filter(name -> !KubernetesNames.isDnsSubdomain(name))
        .ifPresent(name -> r.problem(path + ".headersSecret", "must be a Secret name"));
  }

  IdentityDefinition identity(SourceObject source, List<Problem> problems) {
    SpecReader r = new SpecReader(source, problems);
    JsonNode spec = source.spec();
    r.rejectUnknown(
        spec,
        "spec",
        Set.of(
            "selector",
            "serviceAccountName",
            "attributes",
            "toolScopes",
            "delegation",
            "mode",
            "approval",
            "runtime",
            "egress",
            "auditExport"));
    // The egress mode is the webhook's and the sidecar's (rules in the pod, proxy refusing or
    // recording); the engine checks it so a typo is an error here, not a silent Off.
    r.object(spec, "spec", "egress")
        .ifPresent(
            egress -> {
              r.rejectUnknown(egress, "spec.egress", Set.of("mode"));
              r.string(egress, "spec.egress", "mode", false)
                  .filter(text -> !List.of("Enforce", "Audit", "Off").contains(text))
                  .ifPresent(
                      text ->
                          r.problem(
                              "spec.egress.mode",
                              "must be Enforce, Audit or Off, got '" + text + "'"));
            });
    r.object(spec, "spec", "auditExport").ifPresent(export -> auditExport(r, export));
    LabelSelector selector =
        r.object(spec, "spec", "selector")
            .map(node -> selector(r, node, "spec.selector"))
            .orElse(null);
    String serviceAccount = r.string(spec, "spec", "serviceAccountName", true).orElse("");
    if (!serviceAccount.isEmpty() && !KubernetesNames.isDnsSubdomain(serviceAccount)) {
      r.problem(
          "spec.serviceAccountName",
          "must be a valid service account name (lowercase DNS subdomain)");
    }
    Map<String, String> attributes = r.stringMap(spec, "spec", "attributes");
    List<String> scopes = new ArrayList<>();
    for (Element element : r.objectList(spec, "spec", "toolScopes", false)) {
      r.rejectUnknown(element.node(), element.path(), Set.of("name"));
      r.string(element.node(), element.path(), "name", true).ifPresent(scopes::add);
    }
    List<String> allowed = List.of();
    boolean required = false;
    var delegation = r.object(spec, "spec", "delegation");
    if (delegation.isPresent()) {
      r.rejectUnknown(delegation.get(), "spec.delegation", Set.of("allowedPrincipals", "required"));
      allowed = principals(r, delegation.get(), "spec.delegation", "allowedPrincipals");
      required = r.bool(delegation.get(), "spec.delegation", "required").orElse(false);
    }
    Mode mode =
        r.string(spec, "spec", "mode", false)
            .map(
                text ->
                    Mode.fromWireName(text)
                        .orElseGet(
                            () -> {
                              r.problem(
                                  "spec.mode", "must be Enforce or Audit, got '" + text + "'");
                              return Mode.ENFORCE;
                            }))
            .orElse(Mode.ENFORCE);
    int timeout = IdentityDefinition.DEFAULT_APPROVAL_TIMEOUT_SECONDS;
    List<String> approvers = List.of();
    var approval = r.object(spec, "spec", "approval");
    if (approval.isPresent()) {
      r.rejectUnknown(
          approval.get(), "spec.approval", Set.of("timeoutSeconds", "defaultApprovers"));
      timeout =
          r.integer(approval.get(), "spec.approval", "timeoutSeconds", 1, 86_400).orElse(timeout);
      approvers = principals(r, approval.get(), "spec.approval", "defaultApprovers");
    }
    AgentRuntime runtime =
        r.string(spec, "spec", "runtime", false)
            .map(
                text ->
                    AgentRuntime.fromWireName(text)
                        .orElseGet(
                            () -> {
                              r.problem(
                                  "spec.runtime",
                                  "must be ClaudeCode, Codex, GeminiCli or Generic, got '"
                                      + text
                                      + "'");
                              return AgentRuntime.CLAUDE_CODE;
                            }))
            .orElse(AgentRuntime.CLAUDE_CODE);
    return new IdentityDefinition(
        source.ref(),
        source.labels(),
        selector,
        serviceAccount,
        attributes,
        scopes,
        allowed,
        required,
        mode,
        timeout,
        approvers,
        runtime);
  }

  ScopeDefinition scope(SourceObject source, List<Problem> problems) {
    SpecReader r = new SpecReader(source, problems);
    JsonNode spec = source.spec();
    r.rejectUnknown(spec, "spec", Set.of("tools", "mcpServers", "egress", "gitRemotes"));
    List<String> tools = toolPatterns(r, spec, "spec", "tools", false);
    List<McpServerDefinition> servers = new ArrayList<>();
    Set<String> serverNames = new HashSet<>();
    for (Element element : r.objectList(spec, "spec", "mcpServers", false)) {
      JsonNode node = element.node();
      String path = element.path();
      r.rejectUnknown(node, path, Set.of("name", "url", "tools", "credentialsSecretRef"));
      String name = r.string(node, path, "name", true).orElse("");
      if (!name.isEmpty() && !MCP_SERVER_NAME.matcher(name).matches()) {
        r.problem(
            path + ".name",
            "must be letters, digits and '-' (no '_': the agent-side name is mcp__<server>__<tool>), at most 63 characters");
      } else if (!name.isEmpty() && !serverNames.add(name)) {
        r.problem(path + ".name", "duplicate MCP server name '" + name + "'");
      }
      String url = r.string(node, path, "url", true).orElse("");
      if (!url.isEmpty()) {
        checkUrl(r, path + ".url", url);
      }
      List<String> serverTools = toolPatterns(r, node, path, "tools", true);
      McpServerDefinition.SecretKeyRef credentials =
          r.object(node, path, "credentialsSecretRef")
              .map(
                  ref -> {
                    String refPath = path + ".credentialsSecretRef";
                    r.rejectUnknown(ref, refPath, Set.of("name", "key"));
                    String secret = r.string(ref, refPath, "name", true).orElse("");
                    String key = r.string(ref, refPath, "key", true).orElse("");
                    return new McpServerDefinition.SecretKeyRef(secret, key);
                  })
              .orElse(null);
      servers.add(new McpServerDefinition(name, url, serverTools, credentials));
    }
    EgressParser.refuseInTools(r, tools);
    List<EgressDefinition> egress = EgressParser.read(r, spec);
    GitRemoteParser.refuseInTools(r, tools);
    List<GitRemoteDefinition> remotes = GitRemoteParser.read(r, spec);
    if (tools.isEmpty()
        && servers.isEmpty()
        && egress.isEmpty()
        && remotes.isEmpty()
        && !spec.has("tools")
        && !spec.has("mcpServers")
        && !spec.has("egress")
        && !spec.has("gitRemotes")) {
      r.problem("spec.tools", "a ToolScope must list tools, mcpServers, egress or gitRemotes");
    }
    return new ScopeDefinition(source.ref(), tools, servers, egress, remotes);
  }

  PolicyDefinition policy(SourceObject source, List<Problem> problems) {
    SpecReader r = new SpecReader(source, problems);
    JsonNode spec = source.spec();
    r.rejectUnknown(spec, "spec", Set.of("agents", "rules"));
    int before = r.problemCount();
    List<String> names = List.of();
    LabelSelector selector = null;
    var agents = r.object(spec, "spec", "agents");
    if (agents.isEmpty()) {
      if (!spec.has("agents")) {
        r.problem(
            "spec.agents",
            "is required: name the AgentIdentities (names) or select them (selector)");
      }
    } else {
      r.rejectUnknown(agents.get(), "spec.agents", Set.of("names", "selector"));
      names = r.stringList(agents.get(), "spec.agents", "names", false);
      selector =
          r.object(agents.get(), "spec.agents", "selector")
              .map(node -> selector(r, node, "spec.agents.selector"))
              .orElse(null);
      if (names.isEmpty() && selector == null && r.problemCount() == before) {
        r.problem("spec.agents", "must set names or selector");
      }
    }
    boolean agentsUnknown = r.problemCount() > before;
    List<RuleDefinition> rules = new ArrayList<>();
    Map<String, String> seen = new LinkedHashMap<>();
    for (Element element : r.objectList(spec, "spec", "rules", true)) {
      RuleDefinition rule = rule(r, element);
      if (rule == null) {
        continue;
      }
      String previous = seen.putIfAbsent(rule.name(), element.path());
      if (previous != null) {
        r.problem(
            element.path() + ".name",
            "duplicate rule name '" + rule.name() + "' (also at " + previous + ")");
        continue;
      }
      rules.add(rule);
    }
    return new PolicyDefinition(source.ref(), names, selector, agentsUnknown, rules);
  }

  private RuleDefinition rule(SpecReader r, Element element) {
    JsonNode node = element.node();
    String path = element.path();
    int before = r.problemCount();
    r.rejectUnknown(node, path, Set.of("name", "tools", "when", "effect", "message", "approvers"));
    String name = r.string(node, path, "name", true).orElse("");
    if (!name.isEmpty() && !RULE_NAME.matcher(name).matches()) {
      r.problem(
          path + ".name", "must be a lowercase DNS label (a-z, 0-9, '-'), at most 63 characters");
    }
    List<String> tools = toolPatterns(r, node, path, "tools", true);
    String when = r.string(node, path, "when", false).map(String::strip).orElse(null);
    if (when != null && when.isEmpty()) {
      when = null;
    }
    if (when != null) {
      Optional<String> error = cel.check(when);
      if (error.isEmpty()) {
        error = GitRuleFields.check(cel, when, tools);
      }
      error.ifPresent(message -> r.problem(path + ".when", message));
    }
    Effect effect =
        r.string(node, path, "effect", true)
            .map(
                text ->
                    Effect.fromWireName(text)
                        .orElseGet(
                            () -> {
                              r.problem(
                                  path + ".effect",
                                  "unknown effect '"
                                      + text
                                      + "' (expected Allow, Deny or RequireApproval)");
                              return null;
                            }))
            .orElse(null);
    String message = r.string(node, path, "message", false).orElse("");
    List<String> approvers = principals(r, node, path, "approvers");
    if (!approvers.isEmpty() && effect != null && effect != Effect.REQUIRE_APPROVAL) {
      r.problem(path + ".approvers", "only a RequireApproval rule takes approvers");
    }
    if (r.problemCount() > before || effect == null) {
      return null;
    }
    return new RuleDefinition(name, tools, when, effect, message, approvers, path);
  }

  private static List<String> toolPatterns(
      SpecReader r, JsonNode node, String path, String field, boolean required) {
    List<String> patterns = r.stringList(node, path, field, required);
    for (int i = 0; i < patterns.size(); i++) {
      if (!TOOL_PATTERN.matcher(patterns.get(i)).matches()) {
        r.problem(
            SpecReader.join(path, field) + "[" + i + "]",
            "tool pattern '"
                + patterns.get(i)
                + "' may only contain letters, digits, '_', '.', '-' and the wildcard '*'");
      }
    }
    return patterns;
  }

  private static List<String> principals(SpecReader r, JsonNode node, String path, String field) {
    List<String> principals = r.stringList(node, path, field, false);
    for (int i = 0; i < principals.size(); i++) {
      if (!PRINCIPAL.matcher(principals.get(i)).matches()) {
        r.problem(
            SpecReader.join(path, field) + "[" + i + "]",
            "'" + principals.get(i) + "' must be user:NAME or group:NAME");
      }
    }
    return principals;
  }

  private static void checkUrl(SpecReader r, String path, String url) {
    try {
      URI uri = new URI(url);
      if (!HTTP_URL.matcher(url).matches()) {
        r.problem(path, "must be an http or https URL, got '" + url + "'");
      } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
        r.problem(path, "has no host: '" + url + "'");
      } else if (uri.getRawUserInfo() != null) {
        r.problem(path, "must not carry credentials; use credentialsSecretRef");
      }
    } catch (URISyntaxException e) {
      r.problem(path, "is not a valid URL: " + e.getMessage());
    }
  }

  private static LabelSelector selector(SpecReader r, JsonNode node, String path) {
    r.rejectUnknown(node, path, Set.of("matchLabels", "matchExpressions"));
    Map<String, String> labels = r.stringMap(node, path, "matchLabels");
    List<LabelSelector.Requirement> requirements = new ArrayList<>();
    for (Element element : r.objectList(node, path, "matchExpressions", false)) {
      r.rejectUnknown(element.node(), element.path(), Set.of("key", "operator", "values"));
      String key = r.string(element.node(), element.path(), "key", true).orElse("");
      String op = r.string(element.node(), element.path(), "operator", true).orElse("");
      List<String> values = r.stringList(element.node(), element.path(), "values", false);
      var operator = LabelSelector.Operator.fromWireName(op);
      if (!op.isEmpty() && operator.isEmpty()) {
        r.problem(
            element.path() + ".operator",
            "must be In, NotIn, Exists or DoesNotExist, got '" + op + "'");
        continue;
      }
      if (operator.isEmpty()) {
        continue;
      }
      boolean needsValues =
          operator.get() == LabelSelector.Operator.IN
              || operator.get() == LabelSelector.Operator.NOT_IN;
      if (needsValues && values.isEmpty()) {
        r.problem(element.path() + ".values", "must not be empty for operator " + op);
      } else if (!needsValues && !values.isEmpty()) {
        r.problem(element.path() + ".values", "must be empty for operator " + op);
      }
      requirements.add(new LabelSelector.Requirement(key, operator.get(), values));
    }
    return new LabelSelector(labels, requirements);
  }
}
