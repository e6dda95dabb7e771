package dev.tollgate.engine.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Everything a decision point needs to decide for one identity, as published in the ConfigMap
 * {@code tollgate-bundle-<identity>}. Immutable; its JSON form (see {@link BundleCodec}) is
 * canonical, and {@code revision} is a hash of that form, so equal bundles have equal revisions
 * whether the CLI or the operator compiled them.
 *
 * @param schema the document version, {@value #SCHEMA}
 * @param revision content hash (16 hex digits) of the rest of the document
 * @param scopes the ToolScopes that bound the identity ({@code namespace/name})
 * @param tools tool-name patterns in scope, MCP servers' tools included as {@code mcp__S__P}
 * @param egress the network destinations in scope of tool {@code Egress}; left out of the document
 *     when empty, so bundles without egress keep the revision they had before the field existed
 * @param gitRemotes the upstream git repositories in scope of tools {@code GitFetch} and {@code
 *     GitPush}, by name; left out of the document when empty, as egress is
 * @param policies the ToolPolicies applied ({@code namespace/name})
 * @param rules the rules of those policies, in policy order then declaration order
 */
public record Bundle(
    String schema,
    String revision,
    Identity identity,
    List<String> scopes,
    List<String> tools,
    List<McpServer> mcpServers,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Egress> egress,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<GitRemote> gitRemotes,
    List<String> policies,
    List<Rule> rules) {

  public static final String SCHEMA = "tollgate.dev/bundle/v1";

  public Bundle {
    scopes = List.copyOf(scopes);
    tools = List.copyOf(tools);
    mcpServers = List.copyOf(mcpServers);
    egress = egress == null ? List.of() : List.copyOf(egress);
    // Absent from documents written before the field existed.
    gitRemotes = gitRemotes == null ? List.of() : List.copyOf(gitRemotes);
    policies = List.copyOf(policies);
    rules = List.copyOf(rules);
  }

  /**
   * This bundle with other git remotes, revised: what a test does to point a remote at an upstream
   * on loopback (the CRD admits https remotes only).
   */
  public Bundle withGitRemotes(List<GitRemote> remotes) {
    Bundle edited =
        new Bundle(
            schema, "", identity, scopes, tools, mcpServers, egress, remotes, policies, rules);
    return edited.withRevision(BundleCodec.revisionOf(edited));
  }

  Bundle withRevision(String newRevision) {
    return new Bundle(
        schema,
        newRevision,
        identity,
        scopes,
        tools,
        mcpServers,
        egress,
        gitRemotes,
        policies,
        rules);
  }

  /** The identity the bundle decides for. */
  public record Identity(
      String name,
      String namespace,
      String serviceAccount,
      Map<String, String> attributes,
      String mode,
      String runtime,
      Delegation delegation,
      Approval approval) {

    public Identity {
      attributes = Map.copyOf(attributes);
    }
  }

  /** On whose behalf the identity may act. */
  public record Delegation(List<String> allowedPrincipals, boolean required) {
    public Delegation {
      allowedPrincipals = List.copyOf(allowedPrincipals);
    }
  }

  /** How long an approval may be waited for, and who decides by default. */
  public record Approval(int timeoutSeconds, List<String> defaultApprovers) {
    public Approval {
      defaultApprovers = List.copyOf(defaultApprovers);
    }
  }

  /** An upstream MCP server the sidecar proxies. */
  public record McpServer(
      String name, String url, List<String> tools, SecretRef credentialsSecretRef, String scope) {
    public McpServer {
      tools = List.copyOf(tools);
    }
  }

  /**
   * A network destination the identity may reach through the egress gate.
   *
   * @param host a name, a {@code *.suffix} pattern, an IP address or a CIDR range, canonical
   * @param ports the ports allowed, ascending
   * @param scope the ToolScope ({@code namespace/name}) that names it
   */
  public record Egress(String host, List<Integer> ports, String scope) {
    public Egress {
      ports = List.copyOf(ports);
    }
  }

  /**
   * An upstream git repository the sidecar's git gateway serves as {@code /git/<name>/}.
   *
   * @param name what {@code resource.remote} of GitFetch and GitPush calls holds
   * @param url the canonical https URL of the upstream
   * @param credentialsSecretRef the credential presented upstream, or null for anonymous access
   * @param scope the ToolScope ({@code namespace/name}) that names it first
   * @param caBundle PEM CA certificates the sidecar trusts for the upstream instead of its default
   *     roots, or null
   */
  public record GitRemote(
      String name,
      String url,
      SecretRef credentialsSecretRef,
      String scope,
      @JsonInclude(JsonInclude.Include.NON_NULL) String caBundle) {

    /** A remote trusting the default TLS roots. */
    public GitRemote(String name, String url, SecretRef credentialsSecretRef, String scope) {
      this(name, url, credentialsSecretRef, scope, null);
    }
  }

  /** A Secret key (in the identity's namespace). */
  public record SecretRef(String name, String key) {}

  /**
   * A rule.
   *
   * @param id {@code namespace/policy/rule}
   * @param when CEL condition, or null
   * @param effect {@code Allow}, {@code Deny} or {@code RequireApproval}
   */
  public record Rule(
      String id,
      List<String> tools,
      String when,
      String effect,
      String message,
      List<String> approvers) {
    public Rule {
      tools = List.copyOf(tools);
      approvers = List.copyOf(approvers);
    }
  }
}
