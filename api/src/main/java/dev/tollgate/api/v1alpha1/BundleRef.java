package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BundleRef {

  @JsonPropertyDescription(
      "Name of the ConfigMap (in the identity's namespace) that holds the compiled bundle, tollgate-bundle-<identity>.")
  private String configMap;

  @JsonPropertyDescription(
      "Revision of the published bundle; every decision names the revision it was made with.")
  private String revision;

  public BundleRef() {}

  public BundleRef(String configMap, String revision) {
    this.configMap = configMap;
    this.revision = revision;
  }

  public String getConfigMap() {
    return configMap;
  }

  public void setConfigMap(String configMap) {
    this.configMap = configMap;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BundleRef)) {
      return false;
    }
    BundleRef that = (BundleRef) o;
    return Objects.equals(configMap, that.configMap) && Objects.equals(revision, that.revision);
  }

  @Override
  public int hashCode() {
    return Objects.hash(configMap, revision);
  }
}
