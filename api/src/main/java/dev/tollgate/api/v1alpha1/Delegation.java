package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Delegation {

  @JsonPropertyDescription(
      "Principals the agent may act for, as user:NAME or group:NAME. A principal is allowed when user:<principal>, or group:<g> for one of its groups, is listed; any other principal is denied with reason DelegationNotAllowed.")
  private List<@Pattern(FieldPatterns.PRINCIPAL) String> allowedPrincipals;

  @Default("false")
  @JsonPropertyDescription(
      "When true, a call that names no principal is denied with reason DelegationRequired.")
  private Boolean required;

  public List<String> getAllowedPrincipals() {
    return allowedPrincipals;
  }

  public void setAllowedPrincipals(List<String> allowedPrincipals) {
    this.allowedPrincipals = allowedPrincipals;
  }

  public Boolean getRequired() {
    return required;
  }

  public void setRequired(Boolean required) {
    this.required = required;
  }

  /**
   * {@link #getRequired()} with the schema default applied, for objects no API server has
   * defaulted.
   */
  public boolean requiredOrDefault() {
    return Boolean.TRUE.equals(required);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Delegation)) {
      return false;
    }
    Delegation that = (Delegation) o;
    return Objects.equals(allowedPrincipals, that.allowedPrincipals)
        && Objects.equals(required, that.required);
  }

  @Override
  public int hashCode() {
    return Objects.hash(allowedPrincipals, required);
  }
}
