package dev.tollgate.engine.bundle;

import dev.tollgate.engine.model.Effect;
import dev.tollgate.engine.model.EgressDefinition;
import dev.tollgate.engine.model.IdentityDefinition;
import dev.tollgate.engine.model.McpServerDefinition;
import dev.tollgate.engine.model.PolicyDefinition;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.model.RuleDefinition;
import dev.tollgate.engine.model.ScopeDefinition;
import dev.tollgate.engine.source.Kind;
import dev.tollgate.engine.source.ObjectRef;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.engine.source.ProblemCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compiles one identity's bundle from a {@link PolicySet}. The CLI ({@code tollgate bundle}) and
 * the operator both call this, which is what makes their bundles byte-identical.
 *
 * <p>All or nothing: a problem in the identity, in one of its scopes, or in any policy that applies
 * to it (or might: see {@link PolicyDefinition#agentsUnknown()}) fails the compilation, because a
 * bundle without a broken Deny rule is more permissive than the author meant.
 */
public final class BundleCompiler {

  public Compilation compile(PolicySet set, ObjectRef identityRef) {
    Optional<IdentityDefinition> found = set.identity(identityRef);
    if (found.isEmpty()) {
      return Compilation.failed(
          List.of(
              new Problem(
                  ProblemCode.MISSING_REFERENCE,
                  "",
                  identityRef.toString(),
                  "",
                  "AgentIdentity " + identityRef.key() + " not found")));
    }
    IdentityDefinition identity = found.get();
    List<Problem> problems = new ArrayList<>(set.problemsOf(identityRef));

    List<ScopeDefinition> scopes = new ArrayList<>();
    for (String name : identity.toolScopes()) {
      ObjectRef ref = new ObjectRef(Kind.TOOL_SCOPE, identityRef.namespace(), name);
      set.scope(ref)
          .ifPresent(
              scope -> {
                scopes.add(scope);
                problems.addAll(set.problemsOf(ref));
              });
    }
    List<PolicyDefinition> policies = set.policiesFor(identity);
    for (PolicyDefinition policy : policies) {
      problems.addAll(set.problemsOf(policy.ref()));
    }
    Map<String, Bundle.McpServer> servers =
        mcpServers(scopes, identity, set.origin(identityRef), problems);
    List<Bundle.GitRemote> remotes =
        GitRemoteMerge.merge(scopes, identity, set.origin(identityRef), problems);
    problems.addAll(unapprovableRules(set, identity, policies));
    if (!problems.isEmpty()) {
      return Compilation.failed(problems.stream().distinct().toList());
    }

    TreeSet<String> tools = new TreeSet<>();
    for (ScopeDefinition scope : scopes) {
      tools.addAll(scope.tools());
      scope.mcpServers().forEach(server -> tools.addAll(server.agentSideToolPatterns()));
    }
    List<Bundle.Rule> rules = new ArrayList<>();
    for (PolicyDefinition policy : policies) {
      for (RuleDefinition rule : policy.rules()) {
        rules.add(
            new Bundle.Rule(
                policy.ref().key() + "/" + rule.name(),
                rule.tools(),
                rule.when(),
                rule.effect().wireName(),
                rule.message(),
                rule.approvers()));
      }
    }
    Bundle.Identity bundleIdentity =
        new Bundle.Identity(
            identityRef.name(),
            identityRef.namespace(),
            identity.serviceAccountName(),
            identity.attributes(),
            identity.mode().wireName(),
            identity.runtime().wireName(),
            new Bundle.Delegation(identity.allowedPrincipals(), identity.delegationRequired()),
            new Bundle.Approval(identity.approvalTimeoutSeconds(), identity.defaultApprovers()));
    Bundle bundle =
        new Bundle(
            Bundle.SCHEMA,
            "",
            bundleIdentity,
            scopes.stream().map(s -> s.ref().key()).sorted().distinct().toList(),
            List.copyOf(tools),
            List.copyOf(servers.values()),
            egress(scopes),
            remotes,
            policies.stream().map(p -> p.ref().key()).toList(),
            rules);
    return Compilation.of(bundle.withRevision(BundleCodec.revisionOf(bundle)));
  }

  /**
   * The scopes' destinations, one entry per destination host with the ports of every scope that
   * names it merged, so a bundle does not depend on how the destinations were split across scopes
   * beyond the first scope named (which the entry credits).
   */
  private static List<Bundle.Egress> egress(List<ScopeDefinition> scopes) {
    Map<String, Bundle.Egress> byHost = new TreeMap<>();
    for (ScopeDefinition scope : scopes) {
      for (EgressDefinition destination : scope.egress()) {
        Bundle.Egress existing = byHost.get(destination.host());
        TreeSet<Integer> ports = new TreeSet<>(destination.ports());
        if (existing != null) {
          ports.addAll(existing.ports());
        }
        byHost.put(
            destination.host(),
            new Bundle.Egress(
                destination.host(),
                List.copyOf(ports),
                existing == null ? scope.ref().key() : existing.scope()));
      }
    }
    return List.copyOf(byHost.values());
  }

  private static Map<String, Bundle.McpServer> mcpServers(
      List<ScopeDefinition> scopes,
      IdentityDefinition identity,
      String origin,
      List<Problem> problems) {
    Map<String, Bundle.McpServer> servers = new TreeMap<>();
    Map<String, ScopeDefinition> owners = new LinkedHashMap<>();
    for (ScopeDefinition scope : scopes) {
      for (McpServerDefinition server : scope.mcpServers()) {
        Bundle.SecretRef secret =
            server.credentials() == null
                ? null
                : new Bundle.SecretRef(server.credentials().name(), server.credentials().key());
        Bundle.McpServer candidate =
            new Bundle.McpServer(
                server.name(),
                server.url(),
                server.tools().stream().sorted().distinct().toList(),
                secret,
                scope.ref().key());
        Bundle.McpServer existing = servers.get(server.name());
        if (existing == null) {
          servers.put(server.name(), candidate);
          owners.put(server.name(), scope);
        } else if (!existing.url().equals(candidate.url())
            || !Objects.equals(existing.credentialsSecretRef(), secret)) {
          problems.add(
              new Problem(
                  ProblemCode.CONFLICTING_DEFINITIONS,
                  origin,
                  identity.ref().toString(),
                  "spec.toolScopes",
                  "MCP server '"
                      + server.name()
                      + "' is defined differently in ToolScopes "
                      + owners.get(server.name()).ref().key()
                      + " and "
                      + scope.ref().key()));
        } else {
          TreeSet<String> merged = new TreeSet<>(existing.tools());
          merged.addAll(candidate.tools());
          servers.put(
              server.name(),
              new Bundle.McpServer(
                  existing.name(),
                  existing.url(),
                  List.copyOf(merged),
                  existing.credentialsSecretRef(),
                  existing.scope()));
        }
      }
    }
    return servers;
  }

  private static List<Problem> unapprovableRules(
      PolicySet set, IdentityDefinition identity, List<PolicyDefinition> policies) {
    if (!identity.defaultApprovers().isEmpty()) {
      return List.of();
    }
    List<Problem> problems = new ArrayList<>();
    for (PolicyDefinition policy : policies) {
      for (RuleDefinition rule : policy.rules()) {
        if (rule.effect() == Effect.REQUIRE_APPROVAL && rule.approvers().isEmpty()) {
          problems.add(
              new Problem(
                  ProblemCode.NO_APPROVER,
                  set.origin(policy.ref()),
                  policy.ref().toString(),
                  rule.path() + ".approvers",
                  "RequireApproval rule '"
                      + rule.name()
                      + "' names no approvers and AgentIdentity "
                      + identity.ref().key()
                      + " has no spec.approval.defaultApprovers: nobody could approve"));
        }
      }
    }
    return problems;
  }
}
