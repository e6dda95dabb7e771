package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * An upstream git repository a ToolScope puts in scope of tools {@code GitFetch} and {@code
 * GitPush}: the agent reaches it only through the sidecar's git gateway, which holds the
 * credential.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GitRemote {

  @Required
  @Pattern(FieldPatterns.GIT_REMOTE_NAME)
  @Size(max = 63)
  @JsonPropertyDescription(
      "Remote name: a lowercase DNS label (a-z, 0-9, '-'), at most 63 characters, unique within the ToolScope. The gateway serves the remote at /git/<name>/, and GitFetch and GitPush calls name it as resource.remote.")
  private String name;

  @Required
  @Pattern(FieldPatterns.GIT_HTTPS_URL)
  @Size(max = 2048)
  @JsonPropertyDescription(
      "The upstream repository's HTTPS URL (smart HTTP), such as https://github.com/acme/shop.git: https only, without user name or password (use credentialsSecretRef), query or fragment. Called by the sidecar only.")
  private String url;

  // Optional: a public repository can be fetched without a credential; a push to it without one
  // is refused by the upstream, not by the schema.
  @JsonPropertyDescription(
      "Secret key holding the credential the sidecar presents upstream (a token, sent as HTTP basic authentication). Optional: without it the sidecar fetches anonymously, which suits public repositories. It is mounted into the sidecar container only, never into the agent's.")
  private SecretKeyRef credentialsSecretRef;

  // Optional: hosted upstreams (GitHub, GitLab.com) have certificates the JDK's roots trust; a
  // private Git server's CA is named here, next to the URL it vouches for, so it travels with the
  // bundle and trusts nothing else.
  @Size(max = 65536)
  @JsonPropertyDescription(
      "PEM-encoded CA certificates the sidecar trusts for this upstream's TLS instead of its default roots: for a Git server whose certificate a private CA issued. Optional: without it the JDK's default trust roots apply. The host name is verified either way.")
  private String caBundle;

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

  public SecretKeyRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(SecretKeyRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  public String getCaBundle() {
    return caBundle;
  }

  public void setCaBundle(String caBundle) {
    this.caBundle = caBundle;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof GitRemote)) {
      return false;
    }
    GitRemote that = (GitRemote) o;
    return Objects.equals(name, that.name)
        && Objects.equals(url, that.url)
        && Objects.equals(credentialsSecretRef, that.credentialsSecretRef)
        && Objects.equals(caBundle, that.caBundle);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, url, credentialsSecretRef, caBundle);
  }
}
