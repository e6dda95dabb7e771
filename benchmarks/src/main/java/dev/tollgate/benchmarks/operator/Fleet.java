package dev.tollgate.benchmarks.operator;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.AgentIdentitySpec;
import dev.tollgate.api.v1alpha1.AgentSelector;
import dev.tollgate.api.v1alpha1.ApprovalSettings;
import dev.tollgate.api.v1alpha1.Delegation;
import dev.tollgate.api.v1alpha1.McpServer;
import dev.tollgate.api.v1alpha1.PolicyRule;
import dev.tollgate.api.v1alpha1.RuleEffect;
import dev.tollgate.api.v1alpha1.SecretKeyRef;
import dev.tollgate.api.v1alpha1.ToolPolicy;
import dev.tollgate.api.v1alpha1.ToolPolicySpec;
import dev.tollgate.api.v1alpha1.ToolScope;
import dev.tollgate.api.v1alpha1.ToolScopeRef;
import dev.tollgate.api.v1alpha1.ToolScopeSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A realistic fleet in one namespace: N AgentIdentities (each labelled {@code fleet: agents} plus a
 * team and an environment), 2 ToolScopes every identity uses (Claude Code built-in tools; a GitHub
 * MCP server), and P ToolPolicies of 3 to 5 rules each, about 60% of the rules with a CEL {@code
 * when}. Four out of five policies select every identity by the {@code fleet} label; the fifth
 * names {@link #NAMED_PER_POLICY} specific identities.
 */
final class Fleet {

  static final String NAMESPACE = "agents";
  static final String FLEET_LABEL = "tollgate.dev/fleet";
  static final int NAMED_PER_POLICY = 10;

  /** The policy the second phase changes: selected by all identities through the fleet label. */
  static final String SHARED_POLICY = policyName(0);

  private static final String[] BUILTIN_TOOLS = {
    "Read",
    "Edit",
    "MultiEdit",
    "Write",
    "NotebookEdit",
    "Grep",
    "Glob",
    "LS",
    "Bash",
    "WebFetch",
    "WebSearch",
    "TodoWrite",
    "Task"
  };

  /** Rule templates: a policy takes 3 to 5 consecutive ones (so its rule names are unique). */
  private static final List<PolicyRule> TEMPLATES =
      List.of(
          rule("allow-read", List.of("Read", "Grep", "Glob", "LS"), null, RuleEffect.ALLOW, null),
          rule(
              "deny-secrets",
              List.of("Read", "Edit", "MultiEdit", "Write"),
              "resource.path.matches('.*/\\\\.env(\\\\..*)?$') || resource.path.startsWith('/etc/')"
                  + " || resource.path.contains('/.ssh/')",
              RuleEffect.DENY,
              "secrets stay out of reach"),
          rule(
              "allow-build",
              List.of("Bash"),
              "resource.program in ['npm', 'mvn', 'gradle', 'make', 'git', 'go']",
              RuleEffect.ALLOW,
              null),
          rule(
              "deny-force-push",
              List.of("Bash"),
              "resource.command.matches('git\\\\s+push\\\\s+.*(--force|-f\\\\b)')",
              RuleEffect.DENY,
              "no force pushes"),
          rule(
              "approve-issues",
              List.of("mcp__github__create_*", "mcp__github__add_*"),
              null,
              RuleEffect.REQUIRE_APPROVAL,
              null),
          rule(
              "allow-github-read",
              List.of("mcp__github__get_*", "mcp__github__list_*", "mcp__github__search_*"),
              null,
              RuleEffect.ALLOW,
              null),
          rule(
              "allow-docs",
              List.of("WebFetch"),
              "resource.host in ['docs.example.com', 'developer.mozilla.org']",
              RuleEffect.ALLOW,
              null),
          rule(
              "deny-prod-kubectl",
              List.of("Bash"),
              "identity.attributes.env == 'prod' && resource.command.contains('kubectl')",
              RuleEffect.DENY,
              "no kubectl from production agents"),
          rule(
              "allow-edit-workspace",
              List.of("Edit", "MultiEdit", "Write"),
              "resource.path.startsWith(context.cwd)",
              RuleEffect.ALLOW,
              null),
          rule(
              "approve-sudo",
              List.of("Bash"),
              "'sudo' in resource.command.split(' ')",
              RuleEffect.REQUIRE_APPROVAL,
              "sudo needs a human"));

  private Fleet() {}

  static String identityName(int i) {
    return String.format("agent-%04d", i);
  }

  static String policyName(int p) {
    return String.format("policy-%03d", p);
  }

  /** Whether policy p selects every identity by label (else it names a few). */
  static boolean selectsAll(int p) {
    return p % 5 != 4;
  }

  static List<ToolScope> scopes() {
    ToolScope builtin = new ToolScope();
    builtin.setMetadata(meta("claude-code-builtin", Map.of()));
    ToolScopeSpec builtinSpec = new ToolScopeSpec();
    builtinSpec.setTools(List.of(BUILTIN_TOOLS));
    builtin.setSpec(builtinSpec);

    ToolScope github = new ToolScope();
    github.setMetadata(meta("github", Map.of()));
    McpServer server = new McpServer();
    server.setName("github");
    server.setUrl("https://api.githubcopilot.com/mcp/");
    server.setTools(List.of("get_*", "list_*", "search_*", "create_issue", "add_issue_comment"));
    SecretKeyRef secret = new SecretKeyRef();
    secret.setName("github-token");
    secret.setKey("token");
    server.setCredentialsSecretRef(secret);
    ToolScopeSpec githubSpec = new ToolScopeSpec();
    githubSpec.setMcpServers(List.of(server));
    github.setSpec(githubSpec);
    return List.of(builtin, github);
  }

  static AgentIdentity identity(int i) {
    AgentIdentity identity = new AgentIdentity();
    String name = identityName(i);
    String team = "team-" + (i % 10);
    String env = i % 4 == 0 ? "prod" : "dev";
    identity.setMetadata(meta(name, Map.of(FLEET_LABEL, "agents", "team", team, "env", env)));
    AgentIdentitySpec spec = new AgentIdentitySpec();
    spec.setSelector(
        new LabelSelectorBuilder().addToMatchLabels("tollgate.dev/identity", name).build());
    spec.setServiceAccountName(name);
    spec.setAttributes(Map.of("team", team, "env", env));
    spec.setToolScopes(
        List.of(new ToolScopeRef("claude-code-builtin"), new ToolScopeRef("github")));
    Delegation delegation = new Delegation();
    delegation.setAllowedPrincipals(List.of("group:" + team, "user:ci-bot"));
    spec.setDelegation(delegation);
    ApprovalSettings approval = new ApprovalSettings();
    approval.setDefaultApprovers(List.of("group:" + team + "-leads"));
    spec.setApproval(approval);
    identity.setSpec(spec);
    return identity;
  }

  static ToolPolicy policy(int p, int identities) {
    ToolPolicy policy = new ToolPolicy();
    policy.setMetadata(meta(policyName(p), Map.of()));
    AgentSelector agents = new AgentSelector();
    if (selectsAll(p)) {
      agents.setSelector(
          new LabelSelectorBuilder().addToMatchLabels(FLEET_LABEL, "agents").build());
    } else {
      List<String> names = new ArrayList<>();
      for (int k = 0; k < Math.min(NAMED_PER_POLICY, identities); k++) {
        names.add(identityName((p * 7 + k * 37) % identities));
      }
      agents.setNames(names.stream().distinct().toList());
    }
    List<PolicyRule> rules = new ArrayList<>();
    int count = 3 + p % 3;
    for (int k = 0; k < count; k++) {
      rules.add(copy(TEMPLATES.get((p + k) % TEMPLATES.size())));
    }
    ToolPolicySpec spec = new ToolPolicySpec();
    spec.setAgents(agents);
    spec.setRules(rules);
    policy.setSpec(spec);
    return policy;
  }

  /** The second phase's change to the shared policy: one more Deny rule, with a CEL condition. */
  static void tighten(ToolPolicy policy) {
    List<PolicyRule> rules = new ArrayList<>(policy.getSpec().getRules());
    rules.add(
        rule(
            "deny-curl-pipe-sh",
            List.of("Bash"),
            "resource.command.matches('curl[^|]*\\\\|\\\\s*(ba)?sh')",
            RuleEffect.DENY,
            "piping downloads into a shell is not allowed"));
    policy.getSpec().setRules(rules);
  }

  /** Every object of the fleet, scopes and policies first. */
  static List<HasMetadata> all(int identities, int policies) {
    List<HasMetadata> objects = new ArrayList<>(scopes());
    for (int p = 0; p < policies; p++) {
      objects.add(policy(p, identities));
    }
    for (int i = 0; i < identities; i++) {
      objects.add(identity(i));
    }
    return objects;
  }

  /** Rules and CEL conditions over all policies, for the report. */
  static Map<String, Integer> shape(int identities, int policies) {
    int rules = 0;
    int cel = 0;
    int selectAll = 0;
    for (int p = 0; p < policies; p++) {
      ToolPolicy policy = policy(p, identities);
      rules += policy.getSpec().getRules().size();
      cel += (int) policy.getSpec().getRules().stream().filter(r -> r.getWhen() != null).count();
      selectAll += selectsAll(p) ? 1 : 0;
    }
    Map<String, Integer> shape = new LinkedHashMap<>();
    shape.put("rules", rules);
    shape.put("celRules", cel);
    shape.put("policiesSelectingAll", selectAll);
    shape.put("policiesNamingIdentities", policies - selectAll);
    return shape;
  }

  private static ObjectMeta meta(String name, Map<String, String> labels) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(NAMESPACE)
        .withLabels(labels.isEmpty() ? null : labels)
        .build();
  }

  private static PolicyRule rule(
      String name, List<String> tools, String when, RuleEffect effect, String message) {
    PolicyRule rule = new PolicyRule();
    rule.setName(name);
    rule.setTools(tools);
    rule.setWhen(when);
    rule.setEffect(effect);
    rule.setMessage(message);
    return rule;
  }

  private static PolicyRule copy(PolicyRule template) {
    return rule(
        template.getName(),
        template.getTools(),
        template.getWhen(),
        template.getEffect(),
        template.getMessage());
  }
}
