package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

@JsonClassDescription(ToolScopeSpec.DESCRIPTION)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ToolScopeSpec {

  public static final int MAX_MCP_SERVERS = 64;

  public static final int MAX_EGRESS = 256;

  public static final int MAX_GIT_REMOTES = 64;

  public static final String DESCRIPTION =
      "The minimum set of tools a workflow needs. A tool that no ToolScope of an identity names is denied (reason OutOfScope) before any policy runs, and is hidden from MCP tools/list. The egress destinations are the scope of tool Egress (each connection through the sidecar's egress gate), and the git remotes the scope of tools GitFetch and GitPush (the sidecar's git gateway).";

  @JsonPropertyDescription(
      "Tool name patterns in scope, such as Read, Edit, Bash or mcp__github__*. * matches any run of characters, everything else is literal, and a pattern matches the whole tool name.")
  private List<@Pattern(FieldPatterns.TOOL_PATTERN) String> tools;

  // maxItems bounds the estimated cost of the uniqueness rule, which the API server checks.
  @Size(max = MAX_MCP_SERVERS)
  @ValidationRule(
      value = "self.all(s, self.exists_one(o, o.name == s.name))",
      message = "mcpServers names must be unique")
  @JsonPropertyDescription(
      "Upstream MCP servers reached only through the sidecar's MCP gateway, at most 64, with unique names. An entry named S with tool pattern P puts the agent-side tool name mcp__S__P in scope.")
  private List<McpServer> mcpServers;

  @Size(max = MAX_EGRESS)
  @JsonPropertyDescription(
      "Network destinations the agent may reach through the sidecar's egress gate, at most 256: the scope of tool Egress. A connection whose host and port match no destination of any ToolScope of the identity is denied (OutOfScope) before any rule runs; an identity whose ToolScopes list none has no egress at all. Rules on tool Egress then decide within this scope.")
  private List<EgressDestination> egress;

  // maxItems bounds the estimated cost of the uniqueness rule, as for mcpServers.
  @Size(max = MAX_GIT_REMOTES)
  @ValidationRule(
      value = "self.all(r, self.exists_one(o, o.name == r.name))",
      message = "gitRemotes names must be unique")
  @JsonPropertyDescription(
      "Upstream git repositories reached only through the sidecar's git gateway, at most 64, with unique names: the scope of tools GitFetch (a fetch or clone) and GitPush (a push). A call naming a remote that no ToolScope of the identity lists is denied (OutOfScope) before any rule runs. A remote of the same name in two ToolScopes of one identity must be defined identically.")
  private List<GitRemote> gitRemotes;

  public List<String> getTools() {
    return tools;
  }

  public void setTools(List<String> tools) {
    this.tools = tools;
  }

  public List<McpServer> getMcpServers() {
    return mcpServers;
  }

  public void setMcpServers(List<McpServer> mcpServers) {
    this.mcpServers = mcpServers;
  }

  public List<EgressDestination> getEgress() {
    return egress;
  }

  public void setEgress(List<EgressDestination> egress) {
    this.egress = egress;
  }

  public List<GitRemote> getGitRemotes() {
    return gitRemotes;
  }

  public void setGitRemotes(List<GitRemote> gitRemotes) {
    this.gitRemotes = gitRemotes;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ToolScopeSpec)) {
      return false;
    }
    ToolScopeSpec that = (ToolScopeSpec) o;
    return Objects.equals(tools, that.tools)
        && Objects.equals(mcpServers, that.mcpServers)
        && Objects.equals(egress, that.egress)
        && Objects.equals(gitRemotes, that.gitRemotes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tools, mcpServers, egress, gitRemotes);
  }
}
