package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class McpServer {

  @Required
  @Pattern(FieldPatterns.MCP_SERVER_NAME)
  @Size(max = 63)
  @JsonPropertyDescription(
      "Server name: letters, digits and dashes, at most 63 characters, no underscores. The gateway serves it at /mcp/<name>, and its tools appear to the agent as mcp__<name>__<tool>.")
  private String name;

  @Required
  @Pattern(FieldPatterns.HTTP_URL)
  @JsonPropertyDescription(
      "Streamable HTTP endpoint of the upstream server (http:// or https://), called by the sidecar only.")
  private String url;

  @JsonPropertyDescription(
      "Upstream tool name patterns in scope, without the mcp__<name>__ prefix; * matches any run of characters, everything else is literal, and a pattern matches the whole name. Pattern P puts mcp__<name>__P in scope.")
  private List<@Pattern(FieldPatterns.TOOL_PATTERN) String> tools;

  @JsonPropertyDescription(
      "Secret key holding the credential the sidecar presents upstream. It is mounted into the sidecar container only, never into the agent's.")
  private SecretKeyRef credentialsSecretRef;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public List<String> getTools() {
    return tools;
  }

  public void setTools(List<String> tools) {
    this.tools = tools;
  }

  public SecretKeyRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(SecretKeyRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof McpServer)) {
      return false;
    }
    McpServer that = (McpServer) o;
    return Objects.equals(name, that.name)
        && Objects.equals(url, that.url)
        && Objects.equals(tools, that.tools)
        && Objects.equals(credentialsSecretRef, that.credentialsSecretRef);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, url, tools, credentialsSecretRef);
  }
}
